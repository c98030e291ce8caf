import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { z } from 'zod';
import {
  backupIdSchema,
  decodeTransforms,
  type LoadedBackup,
  loadBackup,
  storageSchema,
} from './backup-store.js';
import { CHUNK } from './compression.js';
import {
  type Connection,
  connect,
  connectionUrlSchema,
  parseConnection,
  quoteIdent,
  toolConnection,
  withDatabase,
} from './connection.js';
import {
  BackupAbortedError,
  BackupError,
  RestoreError,
  RestoreTargetNotEmptyError,
} from './errors.js';
import { type KeySource, keySourceSchema } from './keys.js';
import type { ManifestPart } from './manifest.js';
import { Meter } from './meter.js';
import { findPgTool, type PgTool, spawnTool } from './pg-tools.js';
import { type ProgressListener, ProgressTracker } from './progress.js';
import { redactText } from './redact.js';
import { OWNED_READS, ReleasingSink } from './release.js';
import type { BackupStorage } from './storage/types.js';
import { matchesAny } from './supabase.js';
import { filterToc, readToc } from './toc.js';
import { parseInput } from './validation.js';

export interface RestoreBackupOptions {
  storage: BackupStorage;
  id: string;
  /** Required for encrypted backups. */
  key?: KeySource;
  /** postgres:// URL of the target database (created when missing). */
  target: string;
  /** Drop and recreate the objects the backup contains (pg_restore --clean --if-exists). */
  clean?: boolean;
  /** Skip the emptiness and version pre-checks. */
  force?: boolean;
  /** Restore into a new database, verify it, then swap it in by rename. */
  atomic?: boolean;
  /** With `atomic`: drop the previous database after the swap (default: keep it, renamed). */
  dropPrevious?: boolean;
  /**
   * Template for the databases the restore creates (a missing target, or the new database of
   * `atomic`); default `template0`. A Supabase backup needs a Supabase-initialised template,
   * because its `supabase-data` part fills the platform's own `auth`/`storage` tables.
   */
  template?: string;
  /** Parallel pg_restore jobs; > 1 downloads the archive to a local temp file first. */
  jobs?: number;
  noOwner?: boolean;
  noPrivileges?: boolean;
  /** Compare row counts with the manifest afterwards (default true; exact counts only). */
  verifyRowCounts?: boolean;
  /** Where the temp archive goes when `jobs` > 1 (default the OS temp dir). */
  tempDir?: string;
  pgBin?: string;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

export interface RowCountCheck {
  mode: 'exact' | 'estimated' | 'none';
  checked: number;
  /** Tables whose count differs: `{ table, expected, actual }`. Empty when all match. */
  mismatches: { table: string; expected: number; actual: number | null }[];
  skipped: boolean;
}

export interface RestoreBackupResult {
  id: string;
  database: string;
  /** With `atomic` and an existing target: the old database's new name (unless dropped). */
  previousDatabase: string | undefined;
  rowCounts: RowCountCheck;
  /** Archive entries left out because the restoring role may not apply them (see README). */
  skippedEntries: string[];
  durationMs: number;
}

const optionsSchema = z
  .object({
    storage: storageSchema,
    id: backupIdSchema,
    key: keySourceSchema.optional(),
    target: connectionUrlSchema,
    clean: z.boolean().optional(),
    force: z.boolean().optional(),
    atomic: z.boolean().optional(),
    dropPrevious: z.boolean().optional(),
    template: z.string().min(1).max(63).optional(),
    jobs: z.number().int().min(1).max(64).optional(),
    noOwner: z.boolean().optional(),
    noPrivileges: z.boolean().optional(),
    verifyRowCounts: z.boolean().optional(),
    tempDir: z.string().min(1).optional(),
    pgBin: z.string().min(1).optional(),
    onProgress: z.custom<ProgressListener>((v) => typeof v === 'function').optional(),
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
  })
  .strict();

async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return (rowCount ?? 0) > 0;
}

/** User objects in the target that a restore would collide with. */
async function userObjects(client: pg.Client, loaded: LoadedBackup): Promise<string[]> {
  const { rows } = await client.query<{ name: string; schema: string }>(
    `SELECT n.nspname AS schema, n.nspname || '.' || c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_%'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = c.oid AND d.deptype = 'e')
      ORDER BY 2`,
  );
  const excluded = loaded.manifest.source.supabase ? loaded.manifest.options.exclude_schemas : [];
  const found = rows.filter((r) => !matchesAny(r.schema, excluded)).map((r) => r.name);
  // rows already in the managed tables the supabase-data part fills
  for (const part of loaded.manifest.parts.filter((p) => p.restore === 'data-only')) {
    for (const table of Object.keys(loaded.manifest.row_counts.tables)) {
      const [schema, name] = splitTable(table);
      if (!part.schemas?.includes(schema)) continue;
      const exists = await client.query('SELECT to_regclass($1) AS r', [
        `${quoteIdent(schema)}.${quoteIdent(name)}`,
      ]);
      if (!exists.rows[0]?.r) continue;
      const { rowCount } = await client.query(
        `SELECT 1 FROM ${quoteIdent(schema)}.${quoteIdent(name)} LIMIT 1`,
      );
      if ((rowCount ?? 0) > 0) found.push(`${table} (has rows)`);
    }
  }
  return found;
}

/**
 * Empties the managed tables a data-only part refills, with DELETE (Supabase's `postgres` has
 * no TRUNCATE on them), retrying in passes so that referencing rows go before referenced ones.
 */
async function emptyTables(client: pg.Client, tables: [string, string][]): Promise<void> {
  // the tables to empty, plus every table whose foreign keys reference them (transitively):
  // with `clean` those user tables are dropped and recreated by the full part anyway
  const { rows } = await client.query<{ name: string }>(
    `WITH RECURSIVE targets(oid) AS (
        SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE (n.nspname, c.relname) IN (SELECT * FROM unnest($1::text[], $2::text[]))
        UNION
        SELECT con.conrelid FROM pg_constraint con JOIN targets t ON con.confrelid = t.oid
         WHERE con.contype = 'f')
     SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name
       FROM targets t JOIN pg_class c ON c.oid = t.oid JOIN pg_namespace n ON n.oid = c.relnamespace`,
    [tables.map(([schema]) => schema), tables.map(([, name]) => name)],
  );
  let pending = rows.map((r) => r.name);
  let lastError: unknown;
  for (let pass = 0; pass <= rows.length && pending.length > 0; pass++) {
    const failed: string[] = [];
    for (const qualified of pending) {
      try {
        await client.query(`DELETE FROM ${qualified}`);
      } catch (error) {
        lastError = error;
        failed.push(qualified);
      }
    }
    if (failed.length === pending.length) break;
    pending = failed;
  }
  if (pending.length > 0) {
    throw new RestoreError(
      'RESTORE_CLEAN_FAILED',
      `Could not empty ${pending.join(', ')} before restoring their data: ${(lastError as Error).message}. Fix: empty them (and the tables referencing them) yourself, or restore into a fresh instance.`,
      { cause: lastError },
    );
  }
}

function splitTable(table: string): [string, string] {
  const dot = table.indexOf('.');
  return [table.slice(0, dot), table.slice(dot + 1)];
}

/** Compares exact row counts of the restored database with the manifest. */
export async function compareRowCounts(
  client: pg.Client,
  loaded: LoadedBackup,
): Promise<RowCountCheck> {
  const { mode, tables } = loaded.manifest.row_counts;
  if (mode !== 'exact') return { mode, checked: 0, mismatches: [], skipped: true };
  const mismatches: RowCountCheck['mismatches'] = [];
  for (const [table, expected] of Object.entries(tables)) {
    const [schema, name] = splitTable(table);
    let actual: number | null = null;
    try {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM ONLY ${quoteIdent(schema)}.${quoteIdent(name)}`,
      );
      actual = Number(rows[0]!.n);
    } catch {
      actual = null;
    }
    if (actual !== expected) mismatches.push({ table, expected, actual });
  }
  return { mode, checked: Object.keys(tables).length, mismatches, skipped: false };
}

interface RestorePartContext {
  storage: BackupStorage;
  loaded: LoadedBackup;
  tool: PgTool;
  conn: Connection;
  jobs: number;
  tempDir: string | undefined;
  args: string[];
  onProgress: ProgressListener | undefined;
  signal: AbortSignal | undefined;
}

/** Streams one decoded part into pg_restore (or through a temp file for parallel jobs). */
async function restorePart(ctx: RestorePartContext, part: ManifestPart): Promise<void> {
  const { dbname, env } = toolConnection(ctx.conn);
  const tracker = new ProgressTracker('restore', part.name, part.raw_size, ctx.onProgress);
  const source = await ctx.storage.get(part.key);
  const owned = (ctx.storage as { [OWNED_READS]?: boolean })[OWNED_READS] === true;
  const decode = decodeTransforms(ctx.loaded, owned);
  // the decompressed chunks are this pipeline's own: freed once written (see release.ts)
  const sink = (target: Writable): Writable =>
    ctx.loaded.manifest.compression.algorithm === 'none'
      ? target
      : new ReleasingSink(target, CHUNK);
  const raw = new Meter(tracker);
  const secrets = [ctx.conn.password];
  let tempRoot: string | undefined;
  const onAbort = () => source.destroy(new BackupAbortedError('The restore was aborted.'));
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (ctx.jobs > 1) {
      tempRoot = await mkdtemp(join(ctx.tempDir ?? tmpdir(), 'supaops-restore-'));
      const file = join(tempRoot, `${part.name}.dump`);
      await pipeline([source, ...decode, raw, sink(createWriteStream(file, { mode: 0o600 }))]);
      const run = spawnTool(
        ctx.tool,
        [...ctx.args, `--jobs=${ctx.jobs}`, `--dbname=${dbname}`, file],
        {
          env,
          stdin: 'ignore',
          stdout: 'ignore',
          secrets,
        },
      );
      await run.exited;
    } else {
      const run = spawnTool(ctx.tool, [...ctx.args, `--dbname=${dbname}`], {
        env,
        stdin: 'pipe',
        stdout: 'ignore',
        secrets,
      });
      const feed = pipeline([
        source as Readable,
        ...decode,
        raw,
        sink(run.child.stdin as Writable),
      ]);
      const [fed, exited] = await Promise.allSettled([feed, run.exited]);
      // a decode failure (integrity, key) explains pg_restore's premature end of input
      if (fed.status === 'rejected' && BackupError.isInstance(fed.reason)) throw fed.reason;
      if (exited.status === 'rejected') throw exited.reason;
      if (fed.status === 'rejected') throw fed.reason;
    }
    if (raw.sha256() !== part.raw_sha256) {
      throw new RestoreError(
        'RESTORE_HASH_MISMATCH',
        `The restored ${part.name} archive's SHA-256 differs from the manifest. Fix: run verifyBackup; use another copy of the backup.`,
      );
    }
  } finally {
    ctx.signal?.removeEventListener('abort', onAbort);
    if (tempRoot) await rm(tempRoot, { recursive: true, force: true });
  }
}

/**
 * Restores a backup into `target`. Pre-checks: the server is reachable and not older than the
 * source, pg_restore is new enough, the target is empty (unless `clean`/`force`), and there is
 * enough local disk for a parallel restore's temp file. Afterwards, row counts are compared
 * with the manifest. See the README for the state a failure leaves.
 */
export async function restoreBackup(options: RestoreBackupOptions): Promise<RestoreBackupResult> {
  const started = Date.now();
  const opts = parseInput(optionsSchema, options, 'restoreBackup options');
  const loaded = await loadBackup(opts.storage, opts.id, opts.key);
  const { manifest } = loaded;
  const targetConn = parseConnection(opts.target);
  const maintenanceConn = withDatabase(targetConn, 'postgres');
  const pgRestore = await findPgTool('pg_restore', {
    minMajor: manifest.pg_dump.major,
    ...(opts.pgBin ? { pgBin: opts.pgBin } : {}),
  });
  const admin = await connect(maintenanceConn, 'restore target server');
  let createdDb: string | undefined;
  let restoreDb = targetConn.database;
  let listDir: string | undefined;
  try {
    const info = await admin.query<{ num: string; superuser: boolean }>(
      `SELECT current_setting('server_version_num') AS num,
              (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser`,
    );
    const targetMajor = Math.floor(Number(info.rows[0]!.num) / 10000);
    if (targetMajor < manifest.source.server_major && !opts.force) {
      throw new RestoreError(
        'RESTORE_VERSION_INCOMPATIBLE',
        `The target runs PostgreSQL ${targetMajor}, older than the backup's source (${manifest.source.server_version}); pg_dump archives only restore reliably into the same or a newer major. Fix: restore into PostgreSQL ${manifest.source.server_major} or newer, or pass force: true.`,
      );
    }
    const jobs = opts.jobs ?? 1;
    if (jobs > 1) {
      const dir = opts.tempDir ?? tmpdir();
      const fs = await statfs(dir);
      const free = fs.bavail * fs.bsize;
      const needed = Math.max(...manifest.parts.map((p) => p.raw_size)) * 1.05;
      if (free < needed) {
        throw new RestoreError(
          'RESTORE_DISK_INSUFFICIENT',
          `A parallel restore needs ${Math.ceil(needed / 1048576)} MiB in ${dir} for the archive, but only ${Math.floor(free / 1048576)} MiB are free. Fix: free space, pass tempDir on a larger disk, or restore with jobs: 1 (streamed, no temp file).`,
        );
      }
    }

    const exists = await databaseExists(admin, targetConn.database);
    if (opts.atomic) {
      restoreDb = `${targetConn.database.slice(0, 40)}_restoring_${randomBytes(3).toString('hex')}`;
      await admin.query(
        `CREATE DATABASE ${quoteIdent(restoreDb)} TEMPLATE ${quoteIdent(opts.template ?? 'template0')}`,
      );
      createdDb = restoreDb;
    } else if (!exists) {
      await admin.query(
        `CREATE DATABASE ${quoteIdent(restoreDb)} TEMPLATE ${quoteIdent(opts.template ?? 'template0')}`,
      );
      createdDb = restoreDb;
    }
    const restoreConn = withDatabase(targetConn, restoreDb);
    const db = await connect(restoreConn, 'restore target database');
    try {
      if (!opts.clean && !opts.force && !createdDb) {
        const objects = await userObjects(db, loaded);
        if (objects.length > 0) throw new RestoreTargetNotEmptyError(restoreDb, objects);
      }
      const base = [
        '--exit-on-error',
        ...(opts.noOwner ? ['--no-owner'] : []),
        ...(opts.noPrivileges ? ['--no-privileges'] : []),
      ];
      const ctx = (args: string[]): RestorePartContext => ({
        storage: opts.storage,
        loaded,
        tool: pgRestore,
        conn: restoreConn,
        jobs,
        tempDir: opts.tempDir,
        args,
        onProgress: opts.onProgress,
        signal: opts.signal,
      });
      // managed-schema data first, so the user schema's foreign keys to auth.users validate
      for (const part of manifest.parts.filter((p) => p.restore === 'data-only')) {
        if (opts.clean) {
          const tables = Object.keys(manifest.row_counts.tables)
            .map(splitTable)
            .filter(([schema]) => part.schemas?.includes(schema));
          await emptyTables(db, tables);
        }
        await restorePart(
          ctx([
            ...base,
            '--data-only',
            ...(info.rows[0]!.superuser ? ['--disable-triggers'] : []),
            ...(jobs > 1 ? [] : ['--single-transaction']),
          ]),
          part,
        );
      }
      const skippedEntries: string[] = [];
      for (const part of manifest.parts.filter((p) => p.restore === 'full')) {
        const useList: string[] = [];
        {
          const listing = await readToc(opts.storage, loaded, part.key, pgRestore);
          const filtered = await filterToc(db, listing, {
            superuser: Boolean(info.rows[0]!.superuser),
            clean: Boolean(opts.clean && !createdDb),
          });
          if (filtered.skipped.length > 0) {
            listDir ??= await mkdtemp(join(opts.tempDir ?? tmpdir(), 'supaops-list-'));
            const listFile = join(listDir, `${part.name}.list`);
            await writeFile(listFile, filtered.list, { mode: 0o600 });
            useList.push(`--use-list=${listFile}`);
            skippedEntries.push(...filtered.skipped);
          }
        }
        await restorePart(
          ctx([
            ...base,
            ...useList,
            ...(opts.clean && !createdDb ? ['--clean', '--if-exists'] : []),
            ...(jobs > 1 ? [] : ['--single-transaction']),
          ]),
          part,
        );
      }
      const rowCounts =
        opts.verifyRowCounts === false
          ? { mode: manifest.row_counts.mode, checked: 0, mismatches: [], skipped: true }
          : await compareRowCounts(db, loaded);
      if (rowCounts.mismatches.length > 0) {
        throw new RestoreError(
          'RESTORE_ROW_COUNT_MISMATCH',
          `After the restore, ${rowCounts.mismatches.length} table(s) differ from the manifest's row counts: ${rowCounts.mismatches
            .slice(0, 5)
            .map((m) => `${m.table} expected ${m.expected}, found ${m.actual ?? 'no table'}`)
            .join(
              '; ',
            )}. Fix: the target had conflicting data or the restore was filtered; restore into an empty database.`,
        );
      }
      await db.end();
      let previousDatabase: string | undefined;
      if (opts.atomic) {
        if (exists) {
          previousDatabase = `${targetConn.database.slice(0, 40)}_pre_restore_${randomBytes(3).toString('hex')}`;
          await admin.query(
            'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
            [targetConn.database],
          );
          await admin.query(
            `ALTER DATABASE ${quoteIdent(targetConn.database)} RENAME TO ${quoteIdent(previousDatabase)}`,
          );
        }
        try {
          await admin.query(
            `ALTER DATABASE ${quoteIdent(restoreDb)} RENAME TO ${quoteIdent(targetConn.database)}`,
          );
        } catch (error) {
          if (previousDatabase) {
            await admin
              .query(
                `ALTER DATABASE ${quoteIdent(previousDatabase)} RENAME TO ${quoteIdent(targetConn.database)}`,
              )
              .catch(() => {});
          }
          throw error;
        }
        createdDb = undefined;
        if (previousDatabase && opts.dropPrevious) {
          await admin.query(`DROP DATABASE ${quoteIdent(previousDatabase)} WITH (FORCE)`);
          previousDatabase = undefined;
        }
      }
      return {
        id: manifest.id,
        database: targetConn.database,
        previousDatabase,
        rowCounts,
        skippedEntries,
        durationMs: Date.now() - started,
      };
    } finally {
      await db.end().catch(() => {});
    }
  } catch (error) {
    // atomic: the half-restored new database goes; the target was never touched
    if (createdDb && opts.atomic) {
      await admin
        .query(`DROP DATABASE IF EXISTS ${quoteIdent(createdDb)} WITH (FORCE)`)
        .catch(() => {});
    }
    if (BackupError.isInstance(error)) throw error;
    throw new RestoreError(
      'RESTORE_FAILED',
      `Restoring backup ${opts.id} into ${targetConn.redacted} failed: ${redactText((error as Error).message, [targetConn.password])}. Fix: read the cause.`,
      { cause: error },
    );
  } finally {
    await admin.end().catch(() => {});
    if (listDir) await rm(listDir, { recursive: true, force: true });
  }
}
