import { DATA_SQL } from './db-data.js';
import { JWT_SQL } from './db-jwt.js';
import { LOGS_SQL } from './db-logs.js';
import { POOLER_SQL } from './db-pooler.js';
import { REALTIME_SQL } from './db-realtime.js';
import { ROLES_SQL } from './db-roles.js';
import { SUPABASE_DB_SQL } from './db-supabase.js';
import { WEBHOOKS_SQL } from './db-webhooks.js';
import { FUNCTIONS_HELLO_TS } from './functions-hello.js';
import { FUNCTIONS_MAIN_TS } from './functions-main.js';
import { KONG_ENTRYPOINT_SH } from './kong-entrypoint.js';
import { KONG_YML } from './kong-yml.js';
import { POOLER_EXS } from './pooler-exs.js';
import { SNIPPETS_GITKEEP } from './snippets-gitkeep.js';
import { VECTOR_YML } from './vector-yml.js';

/** One file mount of the bundled template, with the content supaops wrote for it. */
export interface BundledMount {
  /** As in the template's `[[config.mounts]]`: under the compose's `files/` directory. */
  readonly filePath: string;
  readonly content: string;
  /** What reads it and what it does, in one line. */
  readonly purpose: string;
}

/**
 * The 15 file mounts of the bundled Supabase template, in the template's order. The paths are
 * Dokploy/templates@285e667's; the contents are written by supaops from the documented
 * behaviour of each service (none is copied from Supabase or Dokploy).
 */
export const BUNDLED_MOUNTS: readonly BundledMount[] = [
  {
    filePath: '/volumes/api/kong-entrypoint.sh',
    content: KONG_ENTRYPOINT_SH,
    purpose:
      "kong's entrypoint: renders kong.yml from the env (keys, dashboard login), starts Kong",
  },
  {
    filePath: '/volumes/api/kong.yml',
    content: KONG_YML,
    purpose: 'the gateway: consumers, ACL groups, basic auth and the routes to every service',
  },
  {
    filePath: '/volumes/snippets/.gitkeep',
    content: SNIPPETS_GITKEEP,
    purpose: "keeps Studio's SQL snippets folder",
  },
  {
    filePath: '/volumes/db/init/data.sql',
    content: DATA_SQL,
    purpose: 'seed data: empty (the compose does not mount it)',
  },
  {
    filePath: '/volumes/db/_supabase.sql',
    content: SUPABASE_DB_SQL,
    purpose: 'creates the _supabase database (analytics, supavisor) owned by supabase_admin',
  },
  {
    filePath: '/volumes/db/jwt.sql',
    content: JWT_SQL,
    purpose: 'app.settings.jwt_secret / jwt_exp on the database from JWT_SECRET / JWT_EXP',
  },
  {
    filePath: '/volumes/db/logs.sql',
    content: LOGS_SQL,
    purpose: "the _analytics schema in _supabase (Logflare's tables)",
  },
  {
    filePath: '/volumes/db/pooler.sql',
    content: POOLER_SQL,
    purpose: "the _supavisor schema in _supabase (Supavisor's tenants)",
  },
  {
    filePath: '/volumes/db/realtime.sql',
    content: REALTIME_SQL,
    purpose: "the _realtime schema (realtime's tenants and migrations)",
  },
  {
    filePath: '/volumes/db/roles.sql',
    content: ROLES_SQL,
    purpose: "gives the services' login roles POSTGRES_PASSWORD (first boot)",
  },
  {
    filePath: '/volumes/db/webhooks.sql',
    content: WEBHOOKS_SQL,
    purpose: 'database webhooks: supabase_functions schema, hooks log, http_request() over pg_net',
  },
  {
    filePath: '/volumes/functions/hello/index.ts',
    content: FUNCTIONS_HELLO_TS,
    purpose: 'an example edge function (/functions/v1/hello)',
  },
  {
    filePath: '/volumes/functions/main/index.ts',
    content: FUNCTIONS_MAIN_TS,
    purpose: "the edge runtime's main service: routes /<name> to a worker, checks the JWT",
  },
  {
    filePath: '/volumes/logs/vector.yml',
    content: VECTOR_YML,
    purpose: "Vector: containers' logs by compose service to their Logflare source",
  },
  {
    filePath: '/volumes/pooler/pooler.exs',
    content: POOLER_EXS,
    purpose: 'the Supavisor tenant POOLER_TENANT_ID (auth_query, pool sizes, mode)',
  },
];

/** Characters a TOML multi-line literal string cannot hold (all controls but tab and newline). */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0x7f) return true;
  }
  return false;
}

/**
 * A TOML string holding `content` exactly as toml@3.0.0 (Dokploy's parser) reads it back: a
 * multi-line literal string (no escapes; the newline after the opening quotes is dropped by
 * TOML), or `""` for an empty file.
 */
export function tomlLiteral(content: string): string {
  if (content === '') return '""';
  if (content.includes("'''") || content.endsWith("'") || hasControlCharacter(content))
    throw new Error(
      "tomlLiteral: the content has ''' , ends in ' or holds a control character; a TOML literal string cannot carry it",
    );
  return `'''\n${content}'''`;
}

/**
 * `toml` with the content of every `[[config.mounts]]` whose filePath is in `mounts` replaced
 * by that mount's content. Each listed mount must be in the TOML exactly once.
 */
export function fillTemplateMounts(
  toml: string,
  mounts: readonly BundledMount[] = BUNDLED_MOUNTS,
): string {
  let out = toml;
  for (const m of mounts) {
    const head = `[[config.mounts]]\nfilePath = ${JSON.stringify(m.filePath)}\ncontent = `;
    const at = out.indexOf(head);
    if (at < 0 || out.indexOf(head, at + 1) >= 0)
      throw new Error(`fillTemplateMounts: ${m.filePath} is not in the template exactly once`);
    const start = at + head.length;
    const end = out.indexOf('\n', start);
    out = `${out.slice(0, start)}${tomlLiteral(m.content)}${out.slice(end < 0 ? out.length : end)}`;
  }
  return out;
}
