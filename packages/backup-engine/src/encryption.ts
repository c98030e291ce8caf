import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { z } from 'zod';
import { ByteQueue } from './byte-queue.js';
import { BackupIntegrityError } from './errors.js';
import {
  BackupKeyKindMismatchError,
  BackupKeyMalformedError,
  BackupKeyMissingError,
  BackupKeyWrongError,
} from './key-errors.js';
import { deriveKey, type KdfParams, type KeySource, type MasterKey } from './keys.js';
import { releaseBuffer } from './release.js';
import { parseInput } from './validation.js';

/**
 * Encrypted object format, version 1 (all integers big-endian):
 *
 * | offset | size | field                                                            |
 * |--------|------|------------------------------------------------------------------|
 * | 0      | 4    | magic `SOBK` (0x53 0x4F 0x42 0x4B)                               |
 * | 4      | 1    | format version = 0x01                                            |
 * | 5      | 1    | KDF: 0x00 raw 32-byte key, 0x01 scrypt                           |
 * | 6      | 1    | log2(chunk size), 10..24 (default 16 = 64 KiB)                   |
 * | 7      | 1    | scrypt log2(N) (0 for raw keys)                                  |
 * | 8      | 1    | scrypt r (0 for raw keys)                                        |
 * | 9      | 1    | scrypt p (0 for raw keys)                                        |
 * | 10     | 2    | reserved, zero                                                   |
 * | 12     | 16   | scrypt salt (zero for raw keys)                                  |
 * | 28     | 16   | file salt (HKDF-SHA256 salt of this object's keys)               |
 * | 44     | 7    | nonce prefix (random)                                            |
 * | 51     | 1    | reserved, zero                                                   |
 * | 52     | 16   | key check: HMAC-SHA256(K_check, bytes 0..51), first 16 bytes     |
 * | 68     | …    | chunks                                                           |
 *
 * Each chunk is `AES-256-GCM(K_data, nonce, plaintext, aad = header[0..68])` followed by its
 * 16-byte tag. Every chunk but the last carries exactly `chunk size` plaintext bytes; the last
 * carries 1..chunk size bytes (0 only when the whole plaintext is empty). The 12-byte nonce is `prefix(7) ‖ counter u32 ‖ last flag u8`
 * (0x01 on the last chunk, else 0x00): the STREAM construction, so truncation at a chunk
 * boundary, reordering, dropping or appending chunks and bit flips all fail authentication.
 * K_data = HKDF-SHA256(master, file salt, "supaops/backup/v1/data", 32);
 * K_check = HKDF-SHA256(master, file salt, "supaops/backup/v1/key-check", 32).
 */
export const FORMAT_VERSION = 1;
export const HEADER_SIZE = 68;
export const TAG_SIZE = 16;
export const DEFAULT_CHUNK_LOG2 = 16;
const MAGIC = Buffer.from('SOBK', 'latin1');

function hkdf(master: Buffer, salt: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, salt, info, 32));
}

/** Derives a purpose-specific 32-byte subkey of the master key (used for manifest HMACs). */
export function subkey(master: MasterKey, salt: Buffer, purpose: string): Buffer {
  return hkdf(master.key, salt, `supaops/backup/v1/${purpose}`);
}

interface Header {
  bytes: Buffer;
  chunkSize: number;
  kdf: KdfParams;
  fileSalt: Buffer;
  noncePrefix: Buffer;
  keyCheck: Buffer;
}

function buildHeader(master: MasterKey, chunkLog2: number): Header {
  const bytes = Buffer.alloc(HEADER_SIZE);
  MAGIC.copy(bytes, 0);
  bytes[4] = FORMAT_VERSION;
  bytes[6] = chunkLog2;
  if (master.kdf.name === 'scrypt') {
    bytes[5] = 1;
    bytes[7] = master.kdf.logN;
    bytes[8] = master.kdf.r;
    bytes[9] = master.kdf.p;
    Buffer.from(master.kdf.salt, 'base64').copy(bytes, 12);
  }
  const fileSalt = randomBytes(16);
  fileSalt.copy(bytes, 28);
  const noncePrefix = randomBytes(7);
  noncePrefix.copy(bytes, 44);
  const keyCheck = keyCheckOf(master.key, fileSalt, bytes);
  keyCheck.copy(bytes, 52);
  return { bytes, chunkSize: 2 ** chunkLog2, kdf: master.kdf, fileSalt, noncePrefix, keyCheck };
}

function keyCheckOf(master: Buffer, fileSalt: Buffer, header: Buffer): Buffer {
  return createHmac('sha256', hkdf(master, fileSalt, 'supaops/backup/v1/key-check'))
    .update(header.subarray(0, 52))
    .digest()
    .subarray(0, 16);
}

/** Parses the 68-byte header; throws BackupIntegrityError for anything that is not format v1. */
export function parseHeader(bytes: Buffer): Header {
  if (bytes.length < HEADER_SIZE || !bytes.subarray(0, 4).equals(MAGIC)) {
    throw new BackupIntegrityError(
      'BACKUP_FORMAT_INVALID',
      'The object does not start with a supaops encryption header (magic "SOBK"). Fix: check that this is an encrypted backup object and that it was not truncated.',
    );
  }
  if (bytes[4] !== FORMAT_VERSION) {
    throw new BackupIntegrityError(
      'BACKUP_FORMAT_UNSUPPORTED',
      `Encryption format version ${bytes[4]} is not supported (this build reads version ${FORMAT_VERSION}). Fix: use a newer @supaops/backup-engine.`,
    );
  }
  const chunkLog2 = bytes[6]!;
  if (chunkLog2 < 10 || chunkLog2 > 24 || (bytes[5] !== 0 && bytes[5] !== 1)) {
    throw new BackupIntegrityError(
      'BACKUP_FORMAT_INVALID',
      `The encryption header is corrupt (KDF ${bytes[5]}, chunk size 2^${chunkLog2}). Fix: restore the object from another copy.`,
    );
  }
  const header = Buffer.from(bytes.subarray(0, HEADER_SIZE));
  const kdf: KdfParams =
    bytes[5] === 1
      ? {
          name: 'scrypt',
          salt: header.subarray(12, 28).toString('base64'),
          logN: header[7]!,
          r: header[8]!,
          p: header[9]!,
        }
      : { name: 'none' };
  return {
    bytes: header,
    chunkSize: 2 ** chunkLog2,
    kdf,
    fileSalt: header.subarray(28, 44),
    noncePrefix: header.subarray(44, 51),
    keyCheck: header.subarray(52, 68),
  };
}

/** Whether `master` passes the key check of an object's header (false for a wrong key). */
export function headerKeyMatches(master: MasterKey, headerBytes: Buffer): boolean {
  const parsed = parseHeader(headerBytes);
  return timingSafeEqual(keyCheckOf(master.key, parsed.fileSalt, parsed.bytes), parsed.keyCheck);
}

function nonceFor(prefix: Buffer, counter: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  prefix.copy(nonce, 0);
  nonce.writeUInt32BE(counter, 7);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

const MAX_CHUNKS = 2 ** 32 - 1;

const encryptOptionsSchema = z
  .object({
    chunkSizeLog2: z.number().int().min(10).max(24).optional(),
  })
  .strict();

export interface EncryptOptions {
  /** log2 of the plaintext chunk size, 10..24. Default 16 (64 KiB). */
  chunkSizeLog2?: number;
}

function isMasterKey(value: KeySource | MasterKey): value is MasterKey {
  return 'kdf' in value && Buffer.isBuffer((value as MasterKey).key);
}

/** A Transform that encrypts a byte stream into the format above, with bounded memory. */
export function createEncryptTransform(master: MasterKey, options: EncryptOptions = {}): Transform {
  return encryptTransform(master, options, undefined);
}

/**
 * The encrypting Transform. With `releaseInput` (the size of the zlib output buffers it reads),
 * the input chunks are this package's own and are released once encrypted (see release.ts).
 */
export function encryptTransform(
  master: MasterKey,
  options: EncryptOptions,
  releaseInput: number | undefined,
): Transform {
  const opts = parseInput(encryptOptionsSchema, options, 'encryption options');
  if (!Buffer.isBuffer(master?.key) || master.key.length !== 32) {
    throw new BackupKeyMalformedError(
      'createEncryptTransform needs a master key of 32 bytes. Fix: obtain it from deriveKey().',
    );
  }
  const header = buildHeader(master, opts.chunkSizeLog2 ?? DEFAULT_CHUNK_LOG2);
  const dataKey = hkdf(master.key, header.fileSalt, 'supaops/backup/v1/data');
  const queue = new ByteQueue(releaseInput !== undefined);
  let counter = 0;
  let headerSent = false;
  // a copy made to join chunks is ours alone, and so are the inputs with `releaseInput`
  const sealNext = (stream: Transform, size: number, last: boolean): void => {
    const plain = queue.take(size);
    const copied = queue.lastTakeCopied;
    seal(stream, plain, last);
    if (copied) releaseBuffer(plain);
    for (const chunk of queue.drained()) releaseBuffer(chunk, releaseInput);
  };

  // body and tag are pushed separately: no extra copy of every chunk
  const seal = (stream: Transform, plain: Buffer, last: boolean): void => {
    if (counter >= MAX_CHUNKS) throw new RangeError('too many chunks for one object');
    const cipher = createCipheriv(
      'aes-256-gcm',
      dataKey,
      nonceFor(header.noncePrefix, counter, last),
      {
        authTagLength: TAG_SIZE,
      },
    );
    cipher.setAAD(header.bytes);
    const body = cipher.update(plain);
    cipher.final();
    counter++;
    if (body.length > 0) stream.push(body);
    stream.push(cipher.getAuthTag());
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      try {
        if (!headerSent) {
          // a copy: header.bytes stays in use as every chunk's AAD
          this.push(Buffer.from(header.bytes));
          headerSent = true;
        }
        queue.push(chunk);
        while (queue.length > header.chunkSize) sealNext(this, header.chunkSize, false);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        if (!headerSent) this.push(Buffer.from(header.bytes));
        sealNext(this, queue.length, true);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

export interface DecryptOptions {
  /** The key source, or a master key already derived (e.g. once for all parts of a backup). */
  key: KeySource | MasterKey;
}

/**
 * A Transform that decrypts the format above. A wrong key fails on the header with
 * BackupKeyError; a modified, reordered or truncated object fails with BackupIntegrityError
 * naming the chunk (0-based) whose authentication failed.
 */
export function createDecryptTransform(options: DecryptOptions): Transform {
  return decryptTransform(options, false);
}

/**
 * The decrypting Transform. With `releaseInput`, the input chunks are buffers of their own that
 * nothing else uses (reads of this package's local storage) and are released once decrypted.
 */
export function decryptTransform(options: DecryptOptions, releaseInput: boolean): Transform {
  if (!options || typeof options !== 'object' || !options.key) {
    throw new BackupKeyMissingError(
      'createDecryptTransform needs { key }. Fix: pass the passphrase, key file, key env var or derived key used for the backup.',
    );
  }
  const queue = new ByteQueue(releaseInput);
  let header: Header | undefined;
  let dataKey: Buffer | undefined;
  let counter = 0;
  let storedOffset = HEADER_SIZE;

  const open = (sealed: Buffer, last: boolean): Buffer => {
    const index = counter;
    if (sealed.length < TAG_SIZE) {
      throw new BackupIntegrityError(
        'BACKUP_TRUNCATED',
        `The encrypted object is truncated: chunk ${index} has ${sealed.length} bytes, less than its ${TAG_SIZE}-byte tag. Fix: the object was cut short in transfer or storage; use another copy.`,
        { chunkIndex: index },
      );
    }
    const decipher = createDecipheriv(
      'aes-256-gcm',
      dataKey!,
      nonceFor(header!.noncePrefix, index, last),
      { authTagLength: TAG_SIZE },
    );
    decipher.setAAD(header!.bytes);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_SIZE));
    const plain = decipher.update(sealed.subarray(0, sealed.length - TAG_SIZE));
    try {
      decipher.final();
    } catch (error) {
      throw new BackupIntegrityError(
        'BACKUP_CHUNK_AUTH_FAILED',
        `Chunk ${index} (stored bytes ${storedOffset}..${storedOffset + sealed.length - 1}) failed authentication${last ? ' as the last chunk' : ''}: the object was modified, truncated or its chunks reordered. Fix: use another copy of the backup.`,
        { chunkIndex: index, cause: error },
      );
    }
    storedOffset += sealed.length;
    counter++;
    return plain;
  };
  const openNext = (size: number, last: boolean): Buffer => {
    const sealed = queue.take(size);
    const copied = queue.lastTakeCopied;
    const plain = open(sealed, last);
    if (copied) releaseBuffer(sealed);
    for (const chunk of queue.drained()) releaseBuffer(chunk);
    return plain;
  };

  const init = async (): Promise<void> => {
    const parsed = parseHeader(queue.take(HEADER_SIZE));
    let master: MasterKey;
    if (isMasterKey(options.key)) {
      master = options.key;
      const sameKdf =
        master.kdf.name === parsed.kdf.name &&
        (master.kdf.name === 'none' ||
          (parsed.kdf.name === 'scrypt' && master.kdf.salt === parsed.kdf.salt));
      if (!sameKdf) {
        throw new BackupKeyKindMismatchError(
          'keySource',
          `The derived key was made with ${master.kdf.name === 'scrypt' ? 'another scrypt salt' : 'no KDF'}, but this object needs ${parsed.kdf.name}. Fix: pass the key source (passphrase or key) instead of a derived key.`,
        );
      }
    } else {
      master = await deriveKey(options.key, parsed.kdf);
    }
    if (!timingSafeEqual(keyCheckOf(master.key, parsed.fileSalt, parsed.bytes), parsed.keyCheck)) {
      throw new BackupKeyWrongError(
        'The key does not open this backup (the header key check failed; either the key or passphrase is wrong, or the 68-byte header was altered). Fix: use the key or passphrase the backup was made with.',
      );
    }
    header = parsed;
    dataKey = hkdf(master.key, parsed.fileSalt, 'supaops/backup/v1/data');
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      queue.push(chunk);
      const drain = () => {
        const segment = header!.chunkSize + TAG_SIZE;
        while (queue.length > segment) this.push(openNext(segment, false));
      };
      if (!header) {
        if (queue.length < HEADER_SIZE) return callback();
        init()
          .then(() => {
            drain();
            callback();
          })
          .catch((error: Error) => callback(error));
        return;
      }
      try {
        drain();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      const finish = () => {
        try {
          callback(null, openNext(queue.length, true));
        } catch (error) {
          callback(error as Error);
        }
      };
      if (!header) {
        if (queue.length < HEADER_SIZE) {
          callback(
            new BackupIntegrityError(
              'BACKUP_TRUNCATED',
              `The encrypted object is truncated: ${queue.length} bytes, less than the ${HEADER_SIZE}-byte header. Fix: use another copy.`,
              { chunkIndex: 0 },
            ),
          );
          return;
        }
        init().then(finish, (error: Error) => callback(error));
        return;
      }
      finish();
    },
  });
}
