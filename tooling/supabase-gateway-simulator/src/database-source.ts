import pg from 'pg';
import type {
  BucketRow,
  CatalogColumn,
  DataSource,
  RestCatalog,
  SourceFailure,
  SourceResult,
  UserRow,
} from './data-source.js';

// The real database behind the upstreams: each read runs in a transaction that switches role
// the way PostgREST and Storage do (set_config('role', …, true) plus request.jwt.claims), so
// table privileges and RLS are PostgreSQL's own answer, not the simulator's.

// PostgREST's accessibleTables (Query/SqlFragment.hs, v14.12), by schema name.
const TABLES_SQL = `
  SELECT c.relname AS name, c.relkind AS kind
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('v','r','m','f','p')
    AND n.nspname = $1
    AND (
      pg_has_role(c.relowner, 'USAGE')
      OR has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
      OR has_any_column_privilege(c.oid, 'SELECT, INSERT, UPDATE, REFERENCES')
    )
    AND NOT c.relispartition
  ORDER BY c.relname`;

const COLUMNS_SQL = `
  SELECT c.relname AS table, a.attname AS name,
         format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = $1 AND c.relname = ANY($2) AND a.attnum > 0 AND NOT a.attisdropped
  ORDER BY c.relname, a.attnum`;

// accessibleFuncs, without PostgREST's argument analysis
const FUNCTIONS_SQL = `
  SELECT p.proname AS name, p.provolatile AS volatility
  FROM pg_proc p
  JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = $1 AND p.prokind = 'f'
    AND p.prorettype <> 'trigger'::regtype
    AND has_function_privilege(p.oid, 'execute')
  ORDER BY p.proname`;

const BUCKETS_SQL = 'SELECT to_jsonb(b) AS row FROM storage.buckets b ORDER BY b.name';

const USER_FIELDS = `id, aud, role, email, phone, email_confirmed_at, phone_confirmed_at,
  confirmed_at, last_sign_in_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
  is_anonymous`;

function failureOf(error: unknown): SourceFailure {
  const e = error as { code?: string; message?: string };
  const message = e?.message ?? String(error);
  if (e?.code === '22023' && /^role ".*" does not exist$/.test(message)) {
    return { kind: 'role-missing', message };
  }
  if (e?.code === '42501' && message.startsWith('permission denied to set role')) {
    return { kind: 'role-denied', message };
  }
  // no SQLSTATE, or a connection / authentication / startup class: the database is unreachable
  const code = e?.code;
  const connection =
    typeof code !== 'string' ||
    !/^[0-9A-Z]{5}$/.test(code) ||
    ['08', '28', '3D'].includes(code.slice(0, 2)) ||
    code.startsWith('57P');
  if (!connection) return { kind: 'sql', code, message };
  return { kind: 'unavailable', message };
}

const iso = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : v);

export function databaseSource(url: string): DataSource {
  const pool = new pg.Pool({ connectionString: url, max: 2, idleTimeoutMillis: 1000 });
  // an idle client's error (server restart) must not crash the test process
  pool.on('error', () => {});

  async function asRole<T>(
    role: string,
    claims: Record<string, unknown>,
    work: (client: pg.PoolClient) => Promise<T>,
  ): Promise<SourceResult<T>> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      return { ok: false, failure: failureOf(error) };
    }
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(
        "SELECT set_config('role', $1, true), set_config('request.jwt.claims', $2, true)",
        [role, JSON.stringify({ ...claims, role })],
      );
      return { ok: true, value: await work(client) };
    } catch (error) {
      return { ok: false, failure: failureOf(error) };
    } finally {
      await client.query('ROLLBACK').catch(() => {});
      client.release();
    }
  }

  return {
    restCatalog(schema, role, claims) {
      return asRole<RestCatalog>(role, claims, async (client) => {
        const tables = await client.query<{ name: string; kind: string }>(TABLES_SQL, [schema]);
        const names = tables.rows.map((t) => t.name);
        const columns = await client.query<{
          table: string;
          name: string;
          type: string;
          not_null: boolean;
        }>(COLUMNS_SQL, [schema, names]);
        const byTable = new Map<string, CatalogColumn[]>();
        for (const c of columns.rows) {
          const list = byTable.get(c.table) ?? [];
          list.push({ name: c.name, type: c.type, notNull: c.not_null });
          byTable.set(c.table, list);
        }
        const functions = await client.query<{ name: string; volatility: string }>(FUNCTIONS_SQL, [
          schema,
        ]);
        const description = await client.query<{ d: string | null }>(
          "SELECT obj_description(oid, 'pg_namespace') AS d FROM pg_namespace WHERE nspname = $1",
          [schema],
        );
        return {
          tables: tables.rows.map((t) => ({ ...t, columns: byTable.get(t.name) ?? [] })),
          functions: functions.rows,
          description: description.rows[0]?.d ?? null,
        };
      });
    },
    buckets(role, claims) {
      return asRole<BucketRow[]>(role, claims, async (client) => {
        const { rows } = await client.query<{ row: BucketRow }>(BUCKETS_SQL);
        return rows.map(({ row }) => ({ ...row, type: row.type ?? 'STANDARD' }));
      });
    },
    async users(aud, page, perPage) {
      try {
        const total = await pool.query<{ n: string }>(
          'SELECT count(*) AS n FROM auth.users WHERE aud = $1',
          [aud],
        );
        const { rows } = await pool.query<Record<string, unknown>>(
          `SELECT ${USER_FIELDS} FROM auth.users WHERE aud = $1
           ORDER BY created_at DESC NULLS LAST LIMIT $2 OFFSET $3`,
          [aud, perPage, (page - 1) * perPage],
        );
        const users = rows.map((r) => {
          const { raw_app_meta_data, raw_user_meta_data, ...rest } = r;
          const user: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(rest)) if (v !== null) user[k] = iso(v);
          user.email = r.email ?? '';
          user.phone = r.phone ?? '';
          user.app_metadata = raw_app_meta_data ?? {};
          user.user_metadata = raw_user_meta_data ?? {};
          user.identities = [];
          return user as UserRow;
        });
        return { ok: true, value: { users, total: Number(total.rows[0]?.n ?? 0) } };
      } catch (error) {
        return { ok: false, failure: failureOf(error) };
      }
    },
    async close() {
      await pool.end();
    },
  };
}
