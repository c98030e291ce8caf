import type pg from 'pg';
import { aclSchemaFilter, captureAcls } from './acl.js';
import {
  type CreateBackupOptions,
  type CreateBackupResult,
  createOptionsSchema,
  newBackupId,
} from './backup-options.js';
import { toReadable } from './backup-store.js';
import { resolveCompression } from './compression.js';
import { connect, parseConnection, redactedSource } from './connection.js';
import { readDatabaseSettings } from './db-settings.js';
import { DEFAULT_CHUNK_LOG2, FORMAT_VERSION } from './encryption.js';
import { BackupError, PgToolError } from './errors.js';
import { deriveKey } from './keys.js';
import { type BackupManifest, MANIFEST_FILE, type ManifestPart, sealManifest } from './manifest.js';
import { type BackupMetadata, sealMetadata } from './metadata-part.js';
import { findPgTool } from './pg-tools.js';
import { planParts } from './plan-parts.js';
import { redactText } from './redact.js';
import { countRows, type RowCountMode } from './row-counts.js';
import { SUPABASE_MANAGED_SCHEMAS } from './supabase.js';
import { TOOL_NAME, TOOL_VERSION } from './tool-info.js';
import { parseInput } from './validation.js';
import { type PipelineContext, writePart } from './write-part.js';

export type { CreateBackupOptions, CreateBackupResult };
export { newBackupId };

/**
 * Creates a backup: pg_dump (custom format, uncompressed) streamed through compression,
 * AES-256-GCM STREAM encryption and SHA-256 into storage, with per-table row counts taken in
 * the dump's own snapshot, and an authenticated manifest written last. A backup without a
 * manifest is incomplete and never listed.
 */
export async function createBackup(options: CreateBackupOptions): Promise<CreateBackupResult> {
  const opts = parseInput(createOptionsSchema, options, 'createBackup options');
  const conn = parseConnection(opts.source);
  const compression = resolveCompression(opts.compression, opts.compressionLevel);
  const id = opts.id ?? newBackupId();
  const createdAt = new Date().toISOString();
  const warnings: string[] = [];
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
    const planned = await planParts(client, {
      opts,
      conn,
      compression,
      pgDump,
      serverMajor,
      supabase,
      snapshot,
      includeSchemas,
      excludeSchemas,
      includeTables,
      excludeTables,
    });
    const { plans, countTargets } = planned;
    warnings.push(...planned.warnings);

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
    return { id, manifest, manifestKey, warnings, leftOut: planned.leftOut, fix: planned.fix };
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
