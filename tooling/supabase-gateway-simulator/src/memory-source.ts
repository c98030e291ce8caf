import type {
  BucketRow,
  CatalogColumn,
  DataSource,
  RestCatalog,
  SourceFailure,
  SourceResult,
  UserRow,
} from './data-source.js';

/** A table of the in-memory catalogue and the roles holding a privilege on it. */
export interface SimTable {
  schema?: string;
  name: string;
  roles: string[];
  kind?: 'table' | 'view';
  columns?: CatalogColumn[];
}

export interface SimFunction {
  schema?: string;
  name: string;
  roles: string[];
  volatile?: boolean;
}

/** A bucket; `readableBy` stands for RLS SELECT policies (service_role bypasses RLS). */
export interface SimBucket {
  id: string;
  name?: string;
  public?: boolean;
  owner?: string | null;
  readableBy?: string[];
  file_size_limit?: number | null;
  allowed_mime_types?: string[] | null;
  created_at?: string;
}

export interface SimUser {
  id: string;
  email?: string;
  phone?: string;
  aud?: string;
  role?: string;
  created_at?: string;
}

/** The in-memory stand-in for the database; tests may change it while the gateway runs. */
export interface GatewayData {
  tables: SimTable[];
  functions: SimFunction[];
  buckets: SimBucket[];
  users: SimUser[];
  /** Schema comments; `public` is "standard public schema" as in PostgreSQL. */
  schemaDescriptions: Record<string, string>;
}

// A fresh self-hosted instance has an empty public schema and grants what it later gets to
// anon as well (default privileges), so anon and service_role would list the same paths. The
// fixture adds one table only service_role may read, so a difference is observable by default.
export function defaultGatewayData(): GatewayData {
  return {
    tables: [
      {
        name: 'profiles',
        roles: ['anon', 'authenticated', 'service_role'],
        columns: [
          { name: 'id', type: 'uuid', notNull: true },
          { name: 'username', type: 'text' },
        ],
      },
      {
        name: 'audit_log',
        roles: ['service_role'],
        columns: [
          { name: 'id', type: 'bigint', notNull: true },
          { name: 'action', type: 'text' },
        ],
      },
    ],
    functions: [],
    buckets: [{ id: 'avatars', name: 'avatars', public: false }],
    users: [],
    schemaDescriptions: { public: 'standard public schema' },
  };
}

/** The roles Supabase grants to authenticator (PostgREST) and the storage admin. */
const SWITCHABLE = new Set(['anon', 'authenticated', 'service_role']);
/** Roles that exist in the supabase/postgres image but cannot be switched to. */
const EXISTING = new Set([
  'postgres',
  'supabase_admin',
  'authenticator',
  'supabase_auth_admin',
  'supabase_storage_admin',
  'supabase_functions_admin',
  'supabase_realtime_admin',
  'supabase_replication_admin',
  'supabase_read_only_user',
  'dashboard_user',
  'pgbouncer',
]);

function roleCheck(role: string): SourceFailure | undefined {
  if (SWITCHABLE.has(role)) return undefined;
  if (EXISTING.has(role)) {
    return { kind: 'role-denied', message: `permission denied to set role "${role}"` };
  }
  return { kind: 'role-missing', message: `role "${role}" does not exist` };
}

const EPOCH = '2026-01-01T00:00:00.000000+00:00';

export function memorySource(data: GatewayData): DataSource {
  return {
    async restCatalog(schema, role): Promise<SourceResult<RestCatalog>> {
      const failure = roleCheck(role);
      if (failure) return { ok: false, failure };
      const inSchema = <T extends { schema?: string; roles: string[] }>(items: T[]) =>
        items.filter((i) => (i.schema ?? 'public') === schema && i.roles.includes(role));
      return {
        ok: true,
        value: {
          tables: inSchema(data.tables)
            .map((t) => ({
              name: t.name,
              kind: t.kind === 'view' ? 'v' : 'r',
              columns: t.columns ?? [],
            }))
            .sort((a, b) => a.name.localeCompare(b.name)),
          functions: inSchema(data.functions)
            .map((f) => ({ name: f.name, volatility: f.volatile === false ? 's' : 'v' }))
            .sort((a, b) => a.name.localeCompare(b.name)),
          description: data.schemaDescriptions[schema] ?? null,
        },
      };
    },
    async buckets(role): Promise<SourceResult<BucketRow[]>> {
      const failure = roleCheck(role);
      if (failure) return { ok: false, failure };
      const visible = data.buckets.filter(
        (b) => role === 'service_role' || (b.readableBy ?? []).includes(role),
      );
      return {
        ok: true,
        value: visible
          .map((b) => ({
            id: b.id,
            name: b.name ?? b.id,
            owner: b.owner ?? null,
            public: b.public ?? false,
            file_size_limit: b.file_size_limit ?? null,
            allowed_mime_types: b.allowed_mime_types ?? null,
            created_at: b.created_at ?? EPOCH,
            updated_at: b.created_at ?? EPOCH,
            type: 'STANDARD',
          }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      };
    },
    async users(aud, page, perPage) {
      const all: UserRow[] = data.users
        .filter((u) => (u.aud ?? 'authenticated') === aud)
        .map((u) => ({
          id: u.id,
          aud: u.aud ?? 'authenticated',
          role: u.role ?? 'authenticated',
          email: u.email ?? '',
          phone: u.phone ?? '',
          app_metadata: {},
          user_metadata: {},
          identities: [],
          created_at: u.created_at ?? EPOCH,
          updated_at: u.created_at ?? EPOCH,
          is_anonymous: false,
        }))
        .sort((a, b) => b.created_at.localeCompare(a.created_at));
      return {
        ok: true,
        value: { users: all.slice((page - 1) * perPage, page * perPage), total: all.length },
      };
    },
    async close() {},
  };
}
