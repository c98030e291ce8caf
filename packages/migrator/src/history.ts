import type pg from 'pg';
import { RunInterrupted, type SqlRunner } from './abort.js';
import { MigratorDatabaseError } from './errors.js';

/**
 * The Supabase CLI's own DDL for its history table (supabase/cli pkg/migration/history.go),
 * used only when the table does not exist yet. An existing table is never altered.
 */
export const CLI_HISTORY_DDL = [
  "SET LOCAL lock_timeout = '4s'",
  'CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY)',
  'ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[]',
  'ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text',
] as const;

/** Our extra facts, one row per applied version, in a table of our own. */
export const META_TABLE_DDL = `CREATE TABLE IF NOT EXISTS supabase_migrations.supaops_migration_meta (
  version text NOT NULL PRIMARY KEY,
  sha256 text,
  applied_at timestamptz NOT NULL DEFAULT now(),
  applied_by text NOT NULL DEFAULT current_user,
  duration_ms integer,
  down_sha256 text,
  repaired_at timestamptz,
  no_transaction boolean NOT NULL DEFAULT false
)`;

export const UPSERT_CLI_ROW =
  'INSERT INTO supabase_migrations.schema_migrations (version, name, statements) VALUES ($1, $2, $3) ' +
  'ON CONFLICT (version) DO UPDATE SET name = EXCLUDED.name, statements = EXCLUDED.statements';
export const DELETE_CLI_ROWS =
  'DELETE FROM supabase_migrations.schema_migrations WHERE version = ANY($1::text[])';
const META_CONFLICT =
  'ON CONFLICT (version) DO UPDATE SET sha256 = EXCLUDED.sha256, applied_at = EXCLUDED.applied_at, ' +
  'applied_by = EXCLUDED.applied_by, duration_ms = EXCLUDED.duration_ms, down_sha256 = EXCLUDED.down_sha256, ' +
  'repaired_at = EXCLUDED.repaired_at, no_transaction = EXCLUDED.no_transaction';

export const UPSERT_META_ROW =
  'INSERT INTO supabase_migrations.supaops_migration_meta ' +
  '(version, sha256, applied_at, applied_by, duration_ms, down_sha256, repaired_at, no_transaction) ' +
  `VALUES ($1, $2, now(), coalesce($3, current_user), $4, $5, $6, $7) ${META_CONFLICT}`;
/** Both history rows of an applied file in one statement (one round trip), inside its transaction. */
export const RECORD_APPLIED =
  'WITH cli AS (INSERT INTO supabase_migrations.schema_migrations (version, name, statements) ' +
  'VALUES ($1, $2, $3) RETURNING version) ' +
  'INSERT INTO supabase_migrations.supaops_migration_meta ' +
  '(version, sha256, applied_at, applied_by, duration_ms, down_sha256, repaired_at, no_transaction) ' +
  `SELECT version, $4::text, now(), coalesce($5::text, current_user), $6::int, $7::text, NULL, $8::boolean FROM cli ${META_CONFLICT}`;

/** Removes both history rows of a reverted file in one statement. */
export const RECORD_REVERTED =
  'WITH cli AS (DELETE FROM supabase_migrations.schema_migrations WHERE version = $1) ' +
  'DELETE FROM supabase_migrations.supaops_migration_meta WHERE version = $1';

export const DELETE_META_ROWS =
  'DELETE FROM supabase_migrations.supaops_migration_meta WHERE version = ANY($1::text[])';

/** A row of history: the CLI's columns plus our meta (absent for versions the CLI applied). */
export interface RemoteMigration {
  version: string;
  name: string;
  statements: string[] | null;
  meta?: {
    sha256: string | null;
    appliedAt: string;
    appliedBy: string;
    durationMs: number | null;
    downSha256: string | null;
    repairedAt: string | null;
    noTransaction: boolean;
  };
}

export interface RemoteHistory {
  /** False when `supabase_migrations.schema_migrations` does not exist yet. */
  exists: boolean;
  metaExists: boolean;
  rows: RemoteMigration[];
}

function dbError(code: string, what: string, error: unknown): MigratorDatabaseError {
  const e = error as { message?: string; code?: string };
  return new MigratorDatabaseError(
    code,
    `${what} failed: ${e.message ?? String(error)}${e.code ? ` (SQLSTATE ${e.code})` : ''}. ` +
      'Fix: check that the role can use schema supabase_migrations (the Supabase `postgres` role owns it).',
    { cause: error, ...(e.code ? { sqlstate: e.code } : {}) },
  );
}

/** Reads the history with explicit column lists; works on tables with extra (hosted) columns. */
export async function readHistory(client: SqlRunner): Promise<RemoteHistory> {
  try {
    const probe = await client.query<{ cli: boolean; meta: boolean }>(
      "SELECT to_regclass('supabase_migrations.schema_migrations') IS NOT NULL AS cli, " +
        "to_regclass('supabase_migrations.supaops_migration_meta') IS NOT NULL AS meta",
    );
    const { cli, meta } = probe.rows[0] as { cli: boolean; meta: boolean };
    if (!cli) return { exists: false, metaExists: meta, rows: [] };
    const sql = meta
      ? 'SELECT s.version, coalesce(s.name, $$$$) AS name, s.statements, m.sha256, m.applied_at, m.applied_by, ' +
        'm.duration_ms, m.down_sha256, m.repaired_at, m.no_transaction, (m.version IS NOT NULL) AS has_meta ' +
        'FROM supabase_migrations.schema_migrations s ' +
        'LEFT JOIN supabase_migrations.supaops_migration_meta m ON m.version = s.version'
      : 'SELECT version, coalesce(name, $$$$) AS name, statements, false AS has_meta FROM supabase_migrations.schema_migrations';
    const { rows } = await client.query(sql);
    return {
      exists: true,
      metaExists: meta,
      rows: rows.map((r): RemoteMigration => {
        const row: RemoteMigration = {
          version: r.version,
          name: r.name,
          statements: r.statements,
        };
        if (r.has_meta) {
          row.meta = {
            sha256: r.sha256,
            appliedAt: (r.applied_at as Date).toISOString(),
            appliedBy: r.applied_by,
            durationMs: r.duration_ms,
            downSha256: r.down_sha256,
            repairedAt: r.repaired_at ? (r.repaired_at as Date).toISOString() : null,
            noTransaction: r.no_transaction,
          };
        }
        return row;
      }),
    };
  } catch (error) {
    if (error instanceof RunInterrupted) throw error;
    throw dbError('MIGRATION_HISTORY_READ_FAILED', 'Reading the migration history', error);
  }
}

/**
 * Makes sure both history tables exist. The CLI table is created with the CLI's own DDL only
 * when missing; when present its columns are checked, never altered.
 */
export async function ensureHistoryTables(
  client: pg.ClientBase,
  options: { inTransaction?: boolean } = {},
): Promise<void> {
  try {
    const { rows } = await client.query<{ schema: boolean; cli: boolean; meta: boolean }>(
      "SELECT to_regnamespace('supabase_migrations') IS NOT NULL AS schema, " +
        "to_regclass('supabase_migrations.schema_migrations') IS NOT NULL AS cli, " +
        "to_regclass('supabase_migrations.supaops_migration_meta') IS NOT NULL AS meta",
    );
    const state = rows[0] as { schema: boolean; cli: boolean; meta: boolean };
    if (state.cli) {
      const cols = await client.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'supabase_migrations' " +
          "AND table_name = 'schema_migrations' AND column_name IN ('version', 'statements', 'name')",
      );
      if (cols.rows.length < 3) {
        const have = cols.rows.map((c) => c.column_name);
        throw new MigratorDatabaseError(
          'MIGRATION_HISTORY_INCOMPATIBLE',
          `supabase_migrations.schema_migrations lacks column(s) ${['version', 'statements', 'name']
            .filter((c) => !have.includes(c))
            .join(', ')}; it was created by an old Supabase CLI. We never alter the CLI's table. ` +
            'Fix: run `supabase migration list` with a current CLI (it adds the columns), then retry.',
        );
      }
      if (state.meta) return;
    }
    if (!options.inTransaction) await client.query('BEGIN');
    try {
      if (!state.schema) await client.query('CREATE SCHEMA IF NOT EXISTS supabase_migrations');
      if (!state.cli) for (const sql of CLI_HISTORY_DDL) await client.query(sql);
      await client.query(META_TABLE_DDL);
      if (!options.inTransaction) await client.query('COMMIT');
    } catch (error) {
      if (!options.inTransaction) await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  } catch (error) {
    if (MigratorDatabaseError.isInstance(error)) throw error;
    throw dbError('MIGRATION_HISTORY_SETUP_FAILED', 'Creating the migration history tables', error);
  }
}
