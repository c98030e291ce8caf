import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { subkey } from './encryption.js';
import { BackupIntegrityError } from './errors.js';
import { BackupKeyMissingError, BackupKeyWrongError } from './key-errors.js';
import type { MasterKey } from './keys.js';

export const MANIFEST_FILE = 'manifest.json';
export const VERIFIED_FILE = 'verified.json';

const kdfSchema = z.union([
  z.object({ name: z.literal('none') }),
  z.object({
    name: z.literal('scrypt'),
    salt: z.string(),
    logN: z.number(),
    r: z.number(),
    p: z.number(),
  }),
]);

const partSchema = z.object({
  name: z.string(),
  key: z.string(),
  /** `pg_dump-custom` archives or a `sql` script (roles). */
  format: z.enum(['pg_dump-custom', 'sql']),
  /** What pg_restore should do with it: the whole archive, or data only into managed schemas. */
  restore: z.enum(['full', 'data-only', 'manual']),
  raw_size: z.number(),
  stored_size: z.number(),
  raw_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  stored_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  schemas: z.array(z.string()).optional(),
});

export const manifestSchema = z.object({
  format: z.literal('supaops-backup-manifest'),
  manifest_version: z.literal(1),
  id: z.string(),
  created_at: z.string(),
  completed_at: z.string(),
  tool: z.object({ name: z.string(), version: z.string() }),
  source: z.object({
    host: z.string(),
    port: z.number(),
    database: z.string(),
    server_version: z.string(),
    server_major: z.number(),
    supabase: z.boolean(),
  }),
  pg_dump: z.object({ version: z.string(), major: z.number(), format: z.string() }),
  options: z.object({
    schema_only: z.boolean(),
    data_only: z.boolean(),
    include_schemas: z.array(z.string()),
    exclude_schemas: z.array(z.string()),
    include_tables: z.array(z.string()),
    exclude_tables: z.array(z.string()),
    snapshot: z.boolean(),
  }),
  compression: z.object({ algorithm: z.enum(['zstd', 'gzip', 'none']), level: z.number() }),
  encryption: z
    .object({
      algorithm: z.literal('AES-256-GCM-STREAM'),
      format_version: z.number(),
      chunk_size: z.number(),
      kdf: kdfSchema,
    })
    .nullable(),
  parts: z.array(partSchema).min(1),
  /** Database settings and ACLs (metadata-part.ts), encrypted with the key; absent in older backups. */
  metadata: z.object({ encrypted: z.boolean(), data: z.string() }).optional(),
  row_counts: z.object({
    mode: z.enum(['exact', 'estimated', 'none']),
    tables: z.record(z.string(), z.number()),
  }),
  tags: z.record(z.string(), z.string()),
  warnings: z.array(z.string()),
});

export type BackupManifest = z.infer<typeof manifestSchema>;
export type ManifestPart = z.infer<typeof partSchema>;

const envelopeSchema = z.object({
  manifest: z.unknown(),
  authentication: z.union([
    z.object({
      algorithm: z.literal('HMAC-SHA256'),
      key_salt: z.string(),
      value: z.string().regex(/^[0-9a-f]{64}$/),
    }),
    z.object({ algorithm: z.literal('SHA-256'), value: z.string().regex(/^[0-9a-f]{64}$/) }),
  ]),
});

/** JSON with object keys sorted at every level: the bytes the authentication covers. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Serializes a manifest with its authentication: HMAC-SHA256 under a key derived from the
 * encryption key (HKDF, purpose `manifest`, random salt) for encrypted backups; a plain SHA-256
 * for unencrypted ones, which detects corruption but not deliberate tampering.
 */
export function sealManifest(manifest: BackupManifest, master: MasterKey | undefined): string {
  const body = canonicalJson(manifest);
  const authentication = master
    ? (() => {
        const salt = randomBytes(16);
        return {
          algorithm: 'HMAC-SHA256' as const,
          key_salt: salt.toString('base64'),
          value: createHmac('sha256', subkey(master, salt, 'manifest'))
            .update(body)
            .digest('hex'),
        };
      })()
    : { algorithm: 'SHA-256' as const, value: createHash('sha256').update(body).digest('hex') };
  return `${JSON.stringify({ manifest, authentication }, null, 2)}\n`;
}

export interface OpenedManifest {
  manifest: BackupManifest;
  /** `hmac` when checked with the key; `sha256` for unencrypted backups; `unchecked` without a key. */
  authenticated: 'hmac' | 'sha256' | 'unchecked';
}

/** Parses the manifest envelope without checking the HMAC (for listing and retention). */
export function parseManifestEnvelope(text: string, key: string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BackupIntegrityError(
      'BACKUP_MANIFEST_INVALID',
      `The manifest ${key} is not JSON. Fix: the object is corrupt; restore it from another copy.`,
      { cause: error },
    );
  }
  const envelope = envelopeSchema.safeParse(json);
  const manifest = manifestSchema.safeParse(envelope.success ? envelope.data.manifest : undefined);
  if (!envelope.success || !manifest.success) {
    throw new BackupIntegrityError(
      'BACKUP_MANIFEST_INVALID',
      `The manifest ${key} does not have the expected shape. Fix: it was written by an incompatible tool or corrupted.`,
      { cause: envelope.success ? manifest.error : envelope.error },
    );
  }
  return { envelope: envelope.data, manifest: manifest.data };
}

/**
 * Checks a manifest's authentication. With an HMAC and no key, or a wrong key, this throws;
 * `keyMatches` tells a wrong key (BackupKeyError) from a tampered manifest (integrity error).
 */
export async function openManifest(
  text: string,
  key: string,
  master: MasterKey | undefined,
  keyMatches: () => Promise<boolean>,
): Promise<OpenedManifest> {
  const { envelope, manifest } = parseManifestEnvelope(text, key);
  const body = Buffer.from(canonicalJson(envelope.manifest));
  const auth = envelope.authentication;
  if (auth.algorithm === 'SHA-256') {
    if (createHash('sha256').update(body).digest('hex') !== auth.value) {
      throw new BackupIntegrityError(
        'BACKUP_MANIFEST_TAMPERED',
        `The manifest ${key} does not match its SHA-256. Fix: it was modified or corrupted; use another copy.`,
      );
    }
    return { manifest, authenticated: 'sha256' };
  }
  if (!master) {
    throw new BackupKeyMissingError(
      `Backup ${manifest.id} is encrypted. Fix: pass the key (passphrase, key file or key env var) it was made with.`,
      { backupId: manifest.id },
    );
  }
  const expected = createHmac(
    'sha256',
    subkey(master, Buffer.from(auth.key_salt, 'base64'), 'manifest'),
  )
    .update(body)
    .digest();
  if (!timingSafeEqual(expected, Buffer.from(auth.value, 'hex'))) {
    if (!(await keyMatches())) {
      throw new BackupKeyWrongError(
        `The key does not open backup ${manifest.id}. Fix: use the key or passphrase the backup was made with.`,
        { backupId: manifest.id },
      );
    }
    throw new BackupIntegrityError(
      'BACKUP_MANIFEST_TAMPERED',
      `The manifest of backup ${manifest.id} fails its HMAC although the key is right: it was modified. Fix: use another copy.`,
    );
  }
  return { manifest, authenticated: 'hmac' };
}
