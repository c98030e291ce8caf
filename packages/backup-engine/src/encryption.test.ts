import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import {
  createDecryptTransform,
  createEncryptTransform,
  HEADER_SIZE,
  parseHeader,
  TAG_SIZE,
} from './encryption.js';
import { BackupIntegrityError, BackupKeyError } from './errors.js';
import { deriveKey, type MasterKey } from './keys.js';

const CHUNK_LOG2 = 10;
const CHUNK = 2 ** CHUNK_LOG2;

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of stream) out.push(chunk as Buffer);
  return Buffer.concat(out);
}

async function encrypt(master: MasterKey, plain: Buffer, pieces = 7): Promise<Buffer> {
  const enc = createEncryptTransform(master, { chunkSizeLog2: CHUNK_LOG2 });
  const parts: Buffer[] = [];
  const step = Math.max(1, Math.ceil(plain.length / pieces));
  for (let i = 0; i < plain.length; i += step) parts.push(plain.subarray(i, i + step));
  const done = collect(enc);
  await pipeline(Readable.from(parts), enc).catch(() => {});
  return done;
}

async function decrypt(
  key: Parameters<typeof createDecryptTransform>[0]['key'],
  data: Buffer,
): Promise<Buffer> {
  const dec = createDecryptTransform({ key });
  const out: Buffer[] = [];
  dec.on('data', (c: Buffer) => out.push(c));
  await pipeline(Readable.from([data.subarray(0, 100), data.subarray(100)]), dec);
  return Buffer.concat(out);
}

const rawKey = () => deriveKey({ key: randomBytes(32) });

describe('AES-256-GCM STREAM encryption', () => {
  it.each([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 5 * CHUNK, 5 * CHUNK + 17])(
    'round-trips %i bytes',
    async (size) => {
      const master = await rawKey();
      const plain = randomBytes(size);
      const sealed = await encrypt(master, plain);
      const chunks = Math.max(1, Math.ceil(size / CHUNK));
      expect(sealed.length).toBe(HEADER_SIZE + size + chunks * TAG_SIZE);
      expect((await decrypt(master, sealed)).equals(plain)).toBe(true);
    },
  );

  it('round-trips with a passphrase whose scrypt parameters travel in the header', async () => {
    const master = await deriveKey({ passphrase: 'correct horse battery', scrypt: { logN: 10 } });
    const plain = randomBytes(3000);
    const sealed = await encrypt(master, plain);
    const header = parseHeader(sealed);
    expect(header.kdf).toMatchObject({ name: 'scrypt', logN: 10, r: 8, p: 1 });
    expect((await decrypt({ passphrase: 'correct horse battery' }, sealed)).equals(plain)).toBe(
      true,
    );
    const wrong = await decrypt({ passphrase: 'wrong horse battery' }, sealed).catch(
      (e: unknown) => e,
    );
    expect(BackupKeyError.isInstance(wrong)).toBe(true);
    expect((wrong as BackupKeyError).code).toBe('BACKUP_KEY_WRONG');
  });

  it('rejects a wrong raw key with a typed key error', async () => {
    const sealed = await encrypt(await rawKey(), randomBytes(2000));
    const error = await decrypt(await rawKey(), sealed).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupKeyError);
    expect((error as BackupKeyError).code).toBe('BACKUP_KEY_WRONG');
  });

  it('names the chunk whose byte was flipped', async () => {
    const master = await rawKey();
    const sealed = await encrypt(master, randomBytes(6 * CHUNK + 100));
    for (const chunk of [0, 3, 6]) {
      const copy = Buffer.from(sealed);
      copy[HEADER_SIZE + chunk * (CHUNK + TAG_SIZE) + 5]! ^= 0x01;
      const error = await decrypt(master, copy).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackupIntegrityError);
      expect((error as BackupIntegrityError).chunkIndex).toBe(chunk);
      expect((error as Error).message).toContain(`Chunk ${chunk} `);
    }
  });

  it('detects truncation at a chunk boundary, inside a chunk and inside the header', async () => {
    const master = await rawKey();
    const sealed = await encrypt(master, randomBytes(4 * CHUNK + 10));
    const boundary = sealed.subarray(0, HEADER_SIZE + 2 * (CHUNK + TAG_SIZE));
    const atBoundary = await decrypt(master, boundary).catch((e: unknown) => e);
    expect((atBoundary as BackupIntegrityError).chunkIndex).toBe(1);
    const inside = await decrypt(master, sealed.subarray(0, sealed.length - 3)).catch(
      (e: unknown) => e,
    );
    expect((inside as BackupIntegrityError).chunkIndex).toBe(4);
    const tiny = await decrypt(master, sealed.subarray(0, HEADER_SIZE + 5)).catch(
      (e: unknown) => e,
    );
    expect((tiny as BackupIntegrityError).code).toBe('BACKUP_TRUNCATED');
    const header = await decrypt(master, sealed.subarray(0, 30)).catch((e: unknown) => e);
    expect((header as BackupIntegrityError).code).toBe('BACKUP_TRUNCATED');
  });

  it('detects reordered and appended chunks', async () => {
    const master = await rawKey();
    const sealed = await encrypt(master, randomBytes(3 * CHUNK + 5));
    const seg = CHUNK + TAG_SIZE;
    const a = sealed.subarray(HEADER_SIZE, HEADER_SIZE + seg);
    const b = sealed.subarray(HEADER_SIZE + seg, HEADER_SIZE + 2 * seg);
    const swapped = Buffer.concat([
      sealed.subarray(0, HEADER_SIZE),
      b,
      a,
      sealed.subarray(HEADER_SIZE + 2 * seg),
    ]);
    const error = await decrypt(master, swapped).catch((e: unknown) => e);
    expect((error as BackupIntegrityError).chunkIndex).toBe(0);
    const appended = Buffer.concat([sealed, a]);
    const error2 = await decrypt(master, appended).catch((e: unknown) => e);
    expect(error2).toBeInstanceOf(BackupIntegrityError);
  });

  it('rejects foreign data, unknown versions and altered headers', async () => {
    const master = await rawKey();
    const notOurs = await decrypt(master, randomBytes(500)).catch((e: unknown) => e);
    expect((notOurs as BackupIntegrityError).code).toBe('BACKUP_FORMAT_INVALID');
    const sealed = await encrypt(master, randomBytes(100));
    const v2 = Buffer.from(sealed);
    v2[4] = 2;
    expect(
      ((await decrypt(master, v2).catch((e: unknown) => e)) as BackupIntegrityError).code,
    ).toBe('BACKUP_FORMAT_UNSUPPORTED');
    const badChunk = Buffer.from(sealed);
    badChunk[6] = 30;
    expect(
      ((await decrypt(master, badChunk).catch((e: unknown) => e)) as BackupIntegrityError).code,
    ).toBe('BACKUP_FORMAT_INVALID');
    const salt = Buffer.from(sealed);
    salt[30]! ^= 1;
    expect(((await decrypt(master, salt).catch((e: unknown) => e)) as BackupKeyError).code).toBe(
      'BACKUP_KEY_WRONG',
    );
  });

  it('refuses a derived key made with another KDF and bad arguments', async () => {
    const passMaster = await deriveKey({ passphrase: 'a long passphrase', scrypt: { logN: 10 } });
    const sealed = await encrypt(passMaster, randomBytes(10));
    const error = await decrypt(await rawKey(), sealed).catch((e: unknown) => e);
    expect((error as BackupKeyError).code).toBe('BACKUP_KEY_KIND_MISMATCH');
    expect(() => createEncryptTransform({ key: Buffer.alloc(3), kdf: { name: 'none' } })).toThrow(
      BackupKeyError,
    );
    expect(() => createDecryptTransform({} as never)).toThrow(BackupKeyError);
  });
});
