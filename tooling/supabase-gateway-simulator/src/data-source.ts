// What the upstreams read from PostgreSQL, behind one interface: an in-memory fixture by
// default, or a real database (database-source.ts) where privileges and RLS are PostgreSQL's.

export interface CatalogColumn {
  name: string;
  type: string;
  notNull?: boolean;
}

export interface CatalogTable {
  name: string;
  /** `r` table, `v` view, … (pg_class.relkind). Views get GET only in the OpenAPI paths. */
  kind: string;
  columns: CatalogColumn[];
}

export interface CatalogFunction {
  name: string;
  /** pg_proc.provolatile: `v` volatile functions get POST only. */
  volatility: string;
}

export interface RestCatalog {
  tables: CatalogTable[];
  functions: CatalogFunction[];
  /** The schema comment (`standard public schema`), the OpenAPI title. */
  description: string | null;
}

export interface BucketRow {
  id: string;
  name: string;
  owner: string | null;
  public: boolean;
  file_size_limit: number | null;
  allowed_mime_types: string[] | null;
  created_at: string;
  updated_at: string;
  type?: string;
}

export interface UserRow {
  id: string;
  aud: string;
  role: string;
  email: string;
  phone: string;
  created_at: string;
  updated_at: string;
  [field: string]: unknown;
}

/** Why a read failed the way PostgreSQL fails it. */
export type SourceFailure =
  | { kind: 'role-missing'; message: string }
  | { kind: 'role-denied'; message: string }
  | { kind: 'unavailable'; message: string }
  | { kind: 'sql'; code: string; message: string };

export type SourceResult<T> = { ok: true; value: T } | { ok: false; failure: SourceFailure };

export interface DataSource {
  /** Tables and functions of `schema` that `role` may use (PostgREST's accessibleTables). */
  restCatalog(
    schema: string,
    role: string,
    claims: Record<string, unknown>,
  ): Promise<SourceResult<RestCatalog>>;
  /** storage.buckets as `role` sees it through RLS. */
  buckets(role: string, claims: Record<string, unknown>): Promise<SourceResult<BucketRow[]>>;
  /** auth.users in an audience, newest first, with the total count. */
  users(
    aud: string,
    page: number,
    perPage: number,
  ): Promise<SourceResult<{ users: UserRow[]; total: number }>>;
  close(): Promise<void>;
}
