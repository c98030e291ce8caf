import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { aclSchemaFilter, captureAcls } from './acl.js';
import { backupIdSchema, storageSchema, toReadable } from './backup-store.js';
import { type CompressionKind, resolveCompression } from './compression.js';
import {
  connect,
  connectionUrlSchema,
  parseConnection,
  quoteIdent,
  redactedSource,
} from './connection.js';
import { readDatabaseSettings } from './db-settings.js';
import { DEFAULT_CHUNK_LOG2, FORMAT_VERSION } from './encryption.js';
import { BackupError, PgToolError } from './errors.js';
import { deriveKey, type KeySource, keySourceSchema } from './keys.js';
import { type BackupManifest, MANIFEST_FILE, type ManifestPart, sealManifest } from './manifest.js';
import { type BackupMetadata, sealMetadata } from './metadata-part.js';
import { findPgTool } from './pg-tools.js';
import type { ProgressListener } from './progress.js';
import { redactText } from './redact.js';
import { countRows, listTables, type RowCountMode, unreadableSequences } from './row-counts.js';
import type { BackupStorage } from './storage/types.js';
import {
  SUPABASE_DATA_SCHEMAS,
  SUPABASE_EXCLUDED_DATA_TABLES,
  SUPABASE_MANAGED_SCHEMAS,
} from './supabase.js';
import { TOOL_NAME, TOOL_VERSION } from './tool-info.js';
import { parseInput } from './validation.js';
import {
  extension,
  type PartPlan,
  type PipelineContext,
  rolesRewrite,
  writePart,
} from './write-part.js';

export interface CreateBackupOptions {
  /** postgres:// URL of the database to back up. */
  source: string;
  storage: BackupStorage;
  /** The key source, or `false` for an unencrypted backup (manifest gets a SHA-256 only). */
  encryption: KeySource | false;
  /** Default `zstd` (gzip where node:zlib lacks zstd). */
  compression?: CompressionKind;
  /** zstd 1..19 (default 1), gzip 1..9 (default 6). */
  compressionLevel?: number;
  schemaOnly?: boolean;
  dataOnly?: boolean;
  /** pg_dump schema patterns (`*`, `?`). */
  includeSchemas?: string[];
  excludeSchemas?: string[];
  /** `schema.table` patterns (`*`, `?`); unqualified names mean `public`. */
  includeTables?: string[];
  excludeTables?: string[];
  tags?: Record<string, string>;
  /** Supabase handling; `auto` (default) detects the `auth` schema and `supabase_admin` role. */
  supabase?: boolean | 'auto';
  /** Dump roles with `pg_dumpall --roles-only --no-role-passwords` (default: on for Supabase). */
  roles?: boolean;
  /**
   * Fail (`BACKUP_PERMISSION_DENIED`, naming the tables) instead of leaving out `auth`/`storage`
   * tables the role may not read (Supabase's `postgres` cannot read `auth.refresh_tokens`'
   * sequence). Default false: they are left out, listed in `warnings` and `leftOut`.
   */
  requireAllData?: boolean;
  /** Default `exact` (counted inside the dump's snapshot). */
  rowCounts?: RowCountMode;
  /** Directory of pg_dump/pg_dumpall (otherwise PG_BIN, PATH, /usr/lib/postgresql/<major>/bin). */
  pgBin?: string;
  /** log2 of the encryption chunk size (default 16 = 64 KiB). */
  chunkSizeLog2?: number;
  /** Backup id; default `<UTC timestamp>-<random>`. */
  id?: string;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export interface CreateBackupResult {
  id: string;
  manifest: BackupManifest;
  manifestKey: string;
  warnings: string[];
  /**
   * Tables and sequences of `auth`/`storage` the backup role could not read and that are
   * therefore not in the backup (also in `warnings`), each with the reason; `fix` says how to
   * include them. Empty when the backup is complete.
   */
  leftOut: { object: string; reason: string }[];
  fix: string | undefined;
}

const optionsSchema = z
  .object({
    source: connectionUrlSchema,
    storage: storageSchema,
    encryption: z.union([z.literal(false), keySourceSchema]),
    compression: z.enum(['zstd', 'gzip', 'none']).optional(),
    compressionLevel: z.number().int().min(0).max(19).optional(),
    schemaOnly: z.boolean().optional(),
    dataOnly: z.boolean().optional(),
    includeSchemas: z.array(z.string().min(1)).optional(),
    excludeSchemas: z.array(z.string().min(1)).optional(),
    includeTables: z.array(z.string().min(1)).optional(),
    excludeTables: z.array(z.string().min(1)).optional(),
    tags: z.record(z.string().min(1).max(128), z.string().max(1024)).optional(),
    supabase: z.union([z.boolean(), z.literal('auto')]).optional(),
    roles: z.boolean().optional(),
    rowCounts: z.enum(['exact', 'estimated', 'none']).optional(),
    requireAllData: z.boolean().optional(),
    pgBin: z.string().min(1).optional(),
    chunkSizeLog2: z.number().int().min(10).max(24).optional(),
    id: backupIdSchema.optional(),
    onProgress: z.custom<ProgressListener>((v) => typeof v === 'function').optional(),
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
  })
  .strict()
  .refine((o) => !(o.schemaOnly && o.dataOnly), 'schemaOnly and dataOnly exclude each other');

export function newBackupId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/**
 * Creates a backup: pg_dump (custom format, uncompressed) streamed through compression,
 * AES-256-GCM STREAM encryption and SHA-256 into storage, with per-table row counts taken in
 * the dump's own snapshot, and an authenticated manifest written last. A backup without a
 * manifest is incomplete and never listed.
 */
export async function createBackup(options: CreateBackupOptions): Promise<CreateBackupResult> {
  const opts = parseInput(optionsSchema, options, 'createBackup options');
  const conn = parseConnection(opts.source);
  const compression = resolveCompression(opts.compression, opts.compressionLevel);
  const id = opts.id ?? newBackupId();
  const createdAt = new Date().toISOString();
  const warnings: string[] = [];
  const leftOut: CreateBackupResult['leftOut'] = [];
  let leftOutFix: string | undefined;
  const written: string[] = [];
  const client: pg.Client = await connect(conn, 'backup source');
  let inTransaction = false;
  try {
    const info = await client.query<{
      version: string;
      num: string;
      db: string;
      size: string;
      supabase: boolean;
      superuser: boolean;
    }>(
      `SELECT current_setting('server_version') AS version,
              current_setting('server_version_num') AS num,
              current_database() AS db,
              pg_database_size(current_database())::bigint AS size,
              (EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'auth')
                 AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'supabase_admin')) AS supabase,
              (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser`,
    );
    const server = info.rows[0]!;
    const serverMajor = Math.floor(Number(server.num) / 10000);
    const supabase =
      opts.supabase === 'auto' || opts.supabase === undefined ? server.supabase : opts.supabase;
    const pgDump = await findPgTool('pg_dump', {
      minMajor: serverMajor,
      ...(opts.pgBin ? { pgBin: opts.pgBin } : {}),
    });

    const excludeSchemas = [
      ...(opts.excludeSchemas ?? []),
      ...(supabase ? SUPABASE_MANAGED_SCHEMAS : []),
    ];
    const includeSchemas = opts.includeSchemas ?? [];
    const includeTables = opts.includeTables ?? [];
    const excludeTables = opts.excludeTables ?? [];

    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    inTransaction = true;
    const snapshot = (await client.query<{ s: string }>('SELECT pg_export_snapshot() AS s'))
      .rows[0]!.s;

    const mode: RowCountMode = opts.schemaOnly ? 'none' : (opts.rowCounts ?? 'exact');
    const tables = await listTables(client, {
      includeSchemas,
      excludeSchemas,
      includeTables,
      excludeTables,
    });
    const unreadable = tables.filter((t) => !t.readable).map((t) => `${t.schema}.${t.table}`);
    if (unreadable.length > 0 && !opts.schemaOnly) {
      throw new BackupError(
        'BACKUP_PERMISSION_DENIED',
        `The role ${conn.user} may not read ${unreadable.length} table(s) the backup includes: ${unreadable.slice(0, 10).join(', ')}. ` +
          'Fix: back up as a role with SELECT on them (e.g. the database owner or postgres), or leave them out with excludeTables.',
      );
    }
    const countTargets = [...tables];

    const common = ['--format=custom', '--compress=0', `--snapshot=${snapshot}`];
    const filterArgs = [
      ...includeSchemas.map((s) => `--schema=${s}`),
      ...excludeSchemas.map((s) => `--exclude-schema=${s}`),
      ...includeTables.map((t) => `--table=${t}`),
      ...excludeTables.map((t) => `--exclude-table=${t}`),
    ];
    const plans: PartPlan[] = [
      {
        name: 'database',
        file: `database.dump${extension(compression, Boolean(opts.encryption))}`,
        format: 'pg_dump-custom',
        restore: 'full',
        tool: pgDump,
        args: [
          ...common,
          ...(opts.schemaOnly ? ['--schema-only'] : []),
          ...(opts.dataOnly ? ['--data-only'] : []),
          ...filterArgs,
        ],
      },
    ];

    if (supabase && !opts.schemaOnly && includeTables.length === 0) {
      const present = (
        await client.query<{ nspname: string }>(
          'SELECT nspname FROM pg_namespace WHERE nspname = ANY($1) ORDER BY 1',
          [SUPABASE_DATA_SCHEMAS],
        )
      ).rows
        .map((r) => r.nspname)
        .filter(
          (s) =>
            !(opts.excludeSchemas ?? []).includes(s) &&
            (includeSchemas.length === 0 || includeSchemas.includes(s)),
        );
      if (present.length > 0) {
        const dataTables = await listTables(client, {
          includeSchemas: present,
          excludeSchemas: [],
          includeTables: [],
          excludeTables: [...SUPABASE_EXCLUDED_DATA_TABLES, ...excludeTables],
        });
        const sequences = await unreadableSequences(client, present);
        const blockedBySequence = new Map(
          sequences.filter((q) => q.ownedBy).map((q) => [q.ownedBy!, q.sequence]),
        );
        const readable = dataTables.filter(
          (t) => t.readable && !blockedBySequence.has(`${t.schema}.${t.table}`),
        );
        const skipped = [
          ...dataTables.filter((t) => !t.readable).map((t) => `${t.schema}.${t.table}`),
          ...sequences.map((q) => q.sequence),
          ...blockedBySequence.keys(),
        ];
        const reasons = new Map<string, string>([
          ...sequences.map((q) => [q.sequence, `no SELECT privilege for ${conn.user}`] as const),
          ...[...blockedBySequence].map(
            ([table, sequence]) =>
              [table, `${conn.user} may not read its sequence ${sequence}`] as const,
          ),
        ]);
        const fix = (names: string[]) =>
          `back up as supabase_admin (the image's superuser), or as supabase_admin run GRANT SELECT ON ${names.join(', ')} TO ${quoteIdent(conn.user)}`;
        for (const name of skipped) {
          leftOut.push({
            object: name,
            reason: reasons.get(name) ?? `no SELECT privilege for ${conn.user}`,
          });
        }
        if (skipped.length > 0) leftOutFix = fix(skipped);
        if (opts.requireAllData && skipped.length > 0) {
          throw new BackupError(
            'BACKUP_PERMISSION_DENIED',
            `The role ${conn.user} may not read ${skipped.length} object(s) of ${present.join(', ')} that hold users' data: ${skipped.join(', ')}. Fix: ${fix(skipped)}; or allow leaving them out (requireAllData: false).`,
          );
        }
        if (readable.length === 0) {
          warnings.push(
            `supabase-data part skipped (permission denied): ${conn.user} may not read any table of ${present.join(', ')}`,
          );
        } else {
          for (const name of skipped) {
            warnings.push(
              `supabase-data: ${name} left out (permission denied: ${reasons.get(name) ?? `no SELECT privilege for ${conn.user}`})`,
            );
          }
          countTargets.push(...readable);
          plans.push({
            name: 'supabase-data',
            file: `supabase-data.dump${extension(compression, Boolean(opts.encryption))}`,
            format: 'pg_dump-custom',
            restore: 'data-only',
            tool: pgDump,
            schemas: present,
            optional: true,
            args: [
              ...common,
              '--data-only',
              ...present.map((s) => `--schema=${s}`),
              ...SUPABASE_EXCLUDED_DATA_TABLES.map((t) => `--exclude-table=${t}`),
              ...excludeTables.map((t) => `--exclude-table=${t}`),
              ...skipped.map((name) => {
                const dot = name.indexOf('.');
                return `--exclude-table=${quoteIdent(name.slice(0, dot))}.${quoteIdent(name.slice(dot + 1))}`;
              }),
            ],
          });
        }
      }
    }
    if (opts.roles ?? supabase) {
      try {
        const pgDumpall = await findPgTool('pg_dumpall', {
          minMajor: serverMajor,
          ...(opts.pgBin ? { pgBin: opts.pgBin } : {}),
        });
        plans.push({
          name: 'roles',
          file: `roles.sql${extension(compression, Boolean(opts.encryption))}`,
          format: 'sql',
          restore: 'manual',
          tool: pgDumpall,
          args: ['--roles-only', '--no-role-passwords'],
          optional: true,
          ...(supabase ? { rewrite: rolesRewrite } : {}),
        });
      } catch (error) {
        warnings.push(`roles part skipped: ${(error as Error).message}`);
      }
    }

    const master = opts.encryption ? await deriveKey(opts.encryption) : undefined;
    const ctx: PipelineContext = {
      storage: opts.storage,
      conn,
      compression,
      master,
      chunkSizeLog2: opts.chunkSizeLog2 ?? DEFAULT_CHUNK_LOG2,
      onProgress: opts.onProgress,
      signal: opts.signal,
      totalEstimate: Number(server.size),
    };
    // settings and exact ACLs, read in the dump's snapshot (see metadata-part.ts)
    const metadata: BackupMetadata = {
      version: 1,
      database_settings: await readDatabaseSettings(client),
      ...(opts.dataOnly
        ? {}
        : { acls: await captureAcls(client, aclSchemaFilter(includeSchemas, excludeSchemas)) }),
    };
    // exact counts run in the exported snapshot while pg_dump works, on their own connection
    const countsPromise = countRows(client, countTargets, mode);
    countsPromise.catch(() => {});
    const parts: ManifestPart[] = [];
    for (const plan of plans) {
      const key = `${id}/${plan.file}`;
      try {
        const written_ = await writePart(ctx, plan, key);
        written.push(key);
        parts.push({ name: plan.name, format: plan.format, restore: plan.restore, ...written_ });
      } catch (error) {
        const permission =
          error instanceof PgToolError && /permission denied|must be superuser/i.test(error.stderr);
        if (plan.optional && permission && !opts.signal?.aborted) {
          warnings.push(
            `${plan.name} part skipped (permission denied): ${redactText(error.stderr.slice(0, 300), [conn.password])}`,
          );
          continue;
        }
        throw error;
      }
    }
    const sealedMetadata = await sealMetadata(metadata, master, ctx.chunkSizeLog2);
    const counts = await countsPromise;
    await client.query('COMMIT');
    inTransaction = false;

    const manifest: BackupManifest = {
      format: 'supaops-backup-manifest',
      manifest_version: 1,
      id,
      created_at: createdAt,
      completed_at: new Date().toISOString(),
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      source: {
        ...redactedSource(conn),
        database: server.db,
        server_version: server.version,
        server_major: serverMajor,
        supabase,
      },
      pg_dump: { version: pgDump.version, major: pgDump.major, format: 'custom (-Fc -Z0)' },
      options: {
        schema_only: Boolean(opts.schemaOnly),
        data_only: Boolean(opts.dataOnly),
        include_schemas: includeSchemas,
        exclude_schemas: excludeSchemas,
        include_tables: includeTables,
        exclude_tables: excludeTables,
        snapshot: true,
      },
      compression: { algorithm: compression.kind, level: compression.level },
      encryption: master
        ? {
            algorithm: 'AES-256-GCM-STREAM',
            format_version: FORMAT_VERSION,
            chunk_size: 2 ** ctx.chunkSizeLog2,
            kdf: master.kdf,
          }
        : null,
      parts,
      metadata: sealedMetadata,
      row_counts: { mode, tables: counts },
      tags: opts.tags ?? {},
      warnings,
    };
    const manifestKey = `${id}/${MANIFEST_FILE}`;
    await opts.storage.put(manifestKey, toReadable(sealManifest(manifest, master)));
    return { id, manifest, manifestKey, warnings, leftOut, fix: leftOutFix };
  } catch (error) {
    // parts already stored are useless without a manifest: remove them (best effort)
    for (const key of written) await opts.storage.delete(key).catch(() => {});
    if (BackupError.isInstance(error)) throw error;
    throw new BackupError(
      'BACKUP_CREATE_FAILED',
      `The backup of ${conn.redacted} failed: ${redactText((error as Error).message, [conn.password])}. Fix: read the cause; nothing was stored under ${id}/.`,
      { cause: error },
    );
  } finally {
    if (inTransaction) await client.query('ROLLBACK').catch(() => {});
    await client.end().catch(() => {});
  }
}
