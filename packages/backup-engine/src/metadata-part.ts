import { type Duplex, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { AclEntry } from './acl.js';
import type { DatabaseSetting } from './db-settings.js';
import { decryptTransform, encryptTransform } from './encryption.js';
import { BackupIntegrityError } from './errors.js';
import type { MasterKey } from './keys.js';

/**
 * What pg_dump (without `--create`) does not carry but a restore must reproduce: the
 * database's own settings and the exact ACLs of the backed-up objects (to take away the grants
 * a target's default privileges add). Kept in the manifest, encrypted like
 * the data, because the settings may hold secrets.
 */
export interface BackupMetadata {
  version: 1;
  database_settings: DatabaseSetting[];
  /** Absent for data-only backups (they create no objects). */
  acls?: AclEntry[];
}

const metadataSchema = z.object({
  version: z.literal(1),
  database_settings: z.array(
    z.object({ role: z.string().nullable(), config: z.array(z.string()) }),
  ),
  acls: z
    .array(
      z.object({
        kind: z.enum(['table', 'sequence', 'function', 'schema', 'default']),
        object: z.string(),
        owner: z.string(),
        acl: z.array(z.string()),
      }),
    )
    .optional(),
});

/** How the metadata travels in the manifest (covered by its HMAC / SHA-256). */
export interface SealedMetadata {
  /** `true`: `data` is base64 of the encryption format over the JSON; `false`: the JSON itself. */
  encrypted: boolean;
  data: string;
}

async function collect(stream: Duplex, input: Buffer): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  await pipeline([Readable.from([input]), stream, sink]);
  return Buffer.concat(chunks);
}

/**
 * Encrypts the metadata (with its own file salt, like any object) for the manifest. It lives in
 * the manifest rather than in an object of its own so that a backup's objects stay the
 * archives (and listing tools see what they always saw).
 */
export async function sealMetadata(
  metadata: BackupMetadata,
  master: MasterKey | undefined,
  chunkSizeLog2: number,
): Promise<SealedMetadata> {
  const json = JSON.stringify(metadata);
  if (!master) return { encrypted: false, data: json };
  const sealed = await collect(
    encryptTransform(master, { chunkSizeLog2 }, undefined),
    Buffer.from(json),
  );
  return { encrypted: true, data: sealed.toString('base64') };
}

/** Decrypts and parses the manifest's metadata. */
export async function openMetadata(
  sealed: SealedMetadata,
  master: MasterKey | undefined,
  where: string,
): Promise<BackupMetadata> {
  if (!sealed.encrypted) return parseMetadata(sealed.data, where);
  if (!master) {
    throw new BackupIntegrityError(
      'BACKUP_METADATA_INVALID',
      `The metadata of ${where} is encrypted but no key was given. Fix: pass the backup's key.`,
    );
  }
  const plain = await collect(
    decryptTransform({ key: master }, false),
    Buffer.from(sealed.data, 'base64'),
  );
  return parseMetadata(plain.toString('utf8'), where);
}

export function parseMetadata(text: string, key: string): BackupMetadata {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BackupIntegrityError(
      'BACKUP_METADATA_INVALID',
      `The metadata part ${key} is not JSON. Fix: use another copy of the backup.`,
      { cause: error },
    );
  }
  const parsed = metadataSchema.safeParse(json);
  if (!parsed.success) {
    throw new BackupIntegrityError(
      'BACKUP_METADATA_INVALID',
      `The metadata part ${key} does not have the expected shape. Fix: it was written by an incompatible tool; restore with noPrivileges or a matching version.`,
      { cause: parsed.error },
    );
  }
  return parsed.data as BackupMetadata;
}
