// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Dokploy template expressions, written as in template.toml
import { c, defineVariables } from './define.js';
import type { SupabaseServiceName } from './types.js';

/** The API services that each open their own PostgreSQL connection. */
const POSTGRES_CLIENTS = [
  'studio',
  'auth',
  'rest',
  'realtime',
  'storage',
  'meta',
  'functions',
] as const satisfies readonly SupabaseServiceName[];

/** Database connection and the Supavisor pooler. */
export const DATABASE_VARIABLES = defineVariables({
  POSTGRES_HOST: {
    group: 'database',
    services: [...POSTGRES_CLIENTS, 'analytics', 'supavisor'],
    required: true,
    default: 'db',
    constraint: c.host('a host name: the compose service db, or an external PostgreSQL'),
    sources: ['env.example', 'dokploy-template', 'dokploy-compose'],
    description: 'Where the services reach PostgreSQL.',
  },
  POSTGRES_DB: {
    group: 'database',
    services: [...POSTGRES_CLIENTS, 'db', 'supavisor'],
    required: true,
    default: 'postgres',
    constraint: c.identifier('a database name'),
    sources: ['env.example', 'dokploy-template', 'dokploy-compose'],
    description: 'The database the services use.',
  },
  POSTGRES_PORT: {
    group: 'database',
    services: [...POSTGRES_CLIENTS, 'analytics', 'db', 'supavisor'],
    required: true,
    default: '5432',
    constraint: c.port(),
    sources: ['env.example', 'dokploy-template', 'dokploy-compose'],
    description:
      'PostgreSQL port inside the network; upstream also publishes Supavisor session mode on it.',
  },
  POSTGRES_USER: {
    group: 'database',
    services: [],
    dokployDefault: 'postgres',
    constraint: c.identifier('a role name'),
    sources: ['dokploy-template'],
    description:
      'Declared by the Dokploy template; no service reads it (each service logs in with its own role).',
  },
  POOLER_PROXY_PORT_TRANSACTION: {
    group: 'pooler',
    services: ['supavisor'],
    default: '6543',
    constraint: c.port(),
    sources: ['env.example', 'dokploy-template'],
    description:
      'Host port of Supavisor transaction mode (upstream publishes it; the Dokploy compose only exposes 6543).',
  },
  POOLER_DEFAULT_POOL_SIZE: {
    group: 'pooler',
    services: ['supavisor'],
    required: true,
    default: '20',
    constraint: c.integer(1, 10000),
    sources: ['env.example', 'dokploy-template', 'dokploy-compose'],
    description:
      'PostgreSQL connections Supavisor opens per pool; must stay below max_connections minus what the services hold.',
  },
  POOLER_MAX_CLIENT_CONN: {
    group: 'pooler',
    services: ['supavisor'],
    required: true,
    default: '100',
    constraint: c.integer(1, 1000000),
    sources: ['env.example', 'dokploy-template', 'dokploy-compose'],
    description: 'Client connections Supavisor accepts per pool.',
  },
  POOLER_TENANT_ID: {
    group: 'pooler',
    services: ['supavisor'],
    required: true,
    default: 'your-tenant-id',
    dokployDefault: '${uuid}',
    constraint: c.identifier('a tenant id (Dokploy: a UUID); pooler users are postgres.<tenant>'),
    sources: ['env.example', 'dokploy-template', 'dokploy-compose'],
    description:
      'Supavisor tenant; clients of ports 5432/6543 log in as postgres.<POOLER_TENANT_ID>.',
  },
  POOLER_DB_POOL_SIZE: {
    group: 'pooler',
    services: ['supavisor'],
    required: true,
    default: '5',
    constraint: c.integer(1, 1000),
    sources: ['env.example', 'dokploy-template', 'dokploy-compose'],
    description: "Connections of Supavisor's own metadata pool.",
  },
});
