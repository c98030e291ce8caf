import { z } from 'zod';
import { validate } from './errors.js';
import { assertTarget, redactTarget } from './render.js';
import type { ConnectionTarget } from './target.js';

export type DiagnosticSeverity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Stable code, e.g. `POOLER_USER_WITHOUT_TENANT`. */
  code: string;
  severity: DiagnosticSeverity;
  message: string;
  /** What to do about it. */
  fix: string;
}

export type DiagnosePurpose = 'migrations' | 'ddl' | 'query' | 'backup';

const optionsSchema = z
  .object({ purpose: z.enum(['migrations', 'ddl', 'query', 'backup']).optional() })
  .strict();

/** The codes `diagnoseTarget` can return (the README's diagnostics table lists them). */
export const DIAGNOSTIC_CODES = [
  'PASSWORD_UNENCODED_CHARS',
  'SSLMODE_NO_VERIFY',
  'CLIENT_ONLY_PARAMETER',
  'TRAILING_WHITESPACE',
  'DEFAULT_SOCKET_DIR',
  'POOLER_USER_WITHOUT_TENANT',
  'TRANSACTION_MODE_FOR_MIGRATIONS',
  'TRANSACTION_MODE_LIMITS',
  'SSLMODE_REQUIRE_NODE_PG',
  'SSLMODE_NO_OPPORTUNISTIC_TLS',
  'SSL_DISABLED_CLOUD',
  'DOCKER_INTERNAL_HOST',
  'CLOUD_DIRECT_IPV6',
  'PASSWORD_MISSING',
  'PASSWORD_DOLLAR',
  'SUPABASE_ADMIN_USER',
] as const;

/**
 * Checks a parsed target for the mistakes that cost self-hosters hours: the pooler user
 * without its tenant, an unencoded `@` in the password, transaction mode (6543) for DDL or
 * migrations, what `sslmode=require` means with node-postgres, Docker-only host names.
 */
export function diagnoseTarget(
  target: ConnectionTarget,
  options: { purpose?: DiagnosePurpose } = {},
): Diagnostic[] {
  const t = assertTarget(target);
  const { purpose = 'query' } = validate(optionsSchema, options, 'diagnoseTarget options');
  const out: Diagnostic[] = [];
  for (const note of t.notes ?? []) {
    out.push({
      code: note.code,
      severity: note.severity ?? 'warning',
      message: note.message,
      fix: note.fix,
    });
  }

  if (t.pooler === 'supavisor' && !t.tenant) {
    const example =
      t.hostKind === 'supabase-cloud-pooler'
        ? `${t.user}.<project-ref>`
        : `${t.user}.<POOLER_TENANT_ID>`;
    out.push({
      code: 'POOLER_USER_WITHOUT_TENANT',
      severity: 'error',
      message: `The user "${t.user}" has no tenant, but ${t.host}:${t.port} is the Supavisor pooler: it answers "FATAL: Tenant or user not found".`,
      fix: `Use the user ${example} (self-hosted: POOLER_TENANT_ID from the .env; cloud: the project ref).`,
    });
  }

  if (t.mode === 'transaction' && (purpose === 'migrations' || purpose === 'ddl')) {
    out.push({
      code: 'TRANSACTION_MODE_FOR_MIGRATIONS',
      severity: purpose === 'migrations' ? 'error' : 'warning',
      message: `Port ${t.port} is the transaction pooler: each transaction may run on another server connection, so advisory locks, session SET and prepared statements do not hold; ${purpose === 'migrations' ? 'migrations need an advisory lock and session settings' : 'DDL spanning several transactions can interleave with other clients'}.`,
      fix: `Use the session pooler (port 5432, same user) or a direct connection for ${purpose}.`,
    });
  } else if (t.mode === 'transaction') {
    out.push({
      code: 'TRANSACTION_MODE_LIMITS',
      severity: 'info',
      message:
        'Transaction mode: no session SET (use SET LOCAL), no named prepared statements, no session advisory locks, no LISTEN/NOTIFY.',
      fix: 'Fine for short queries; use port 5432 (session) or direct for migrations, dumps and long sessions.',
    });
  }

  const sslmode = t.params.sslmode;
  if (sslmode === 'require') {
    out.push({
      code: 'SSLMODE_REQUIRE_NODE_PG',
      severity: 'info',
      message:
        'sslmode=require: libpq encrypts without checking the certificate, but node-postgres on its own treats require as verify-full (and prints a security warning). pg-connect follows libpq: encrypted, certificate not verified.',
      fix: 'To verify the server, use sslmode=verify-full with sslrootcert=<CA file> (Supabase cloud: the CA from the dashboard).',
    });
  } else if (sslmode === 'prefer' || sslmode === 'allow') {
    out.push({
      code: 'SSLMODE_NO_OPPORTUNISTIC_TLS',
      severity: 'info',
      message: `sslmode=${sslmode}: node-postgres cannot try TLS and fall back, so pg-connect connects without TLS here${t.hostKind.startsWith('supabase-cloud') ? ' (except Supabase cloud hosts, where TLS is used)' : ''}.`,
      fix: 'Say what you mean: sslmode=disable inside a private network, sslmode=require or verify-full across the internet.',
    });
  }
  if (sslmode === 'disable' && t.hostKind.startsWith('supabase-cloud')) {
    out.push({
      code: 'SSL_DISABLED_CLOUD',
      severity: 'warning',
      message:
        'TLS is disabled towards Supabase cloud: the password and data cross the internet in clear text.',
      fix: 'Use sslmode=require (or verify-full with the Supabase CA).',
    });
  }

  if (t.hostKind === 'docker-internal') {
    out.push({
      code: 'DOCKER_INTERNAL_HOST',
      severity: 'info',
      message: `"${t.host}" looks like a compose service name: it resolves only inside the Docker network of the stack.`,
      fix: 'From outside, use the published pooler port on the server (postgres.<tenant> at <server>:5432/6543) or an SSH tunnel; checkNetwork() prints the exact command.',
    });
  }
  if (t.hostKind === 'supabase-cloud-direct') {
    out.push({
      code: 'CLOUD_DIRECT_IPV6',
      severity: 'info',
      message: `${t.host} resolves to IPv6 only unless the project has the IPv4 add-on; IPv4-only networks cannot reach it.`,
      fix: `If it does not connect, use the session pooler: postgresql://postgres.${t.projectRef ?? '<ref>'}:***@aws-0-<region>.pooler.supabase.com:5432/postgres.`,
    });
  }
  if (t.password === undefined && t.hostKind !== 'socket') {
    out.push({
      code: 'PASSWORD_MISSING',
      severity: 'warning',
      message: `No password is given for ${redactTarget(t)}; the server will reject the login unless ~/.pgpass or trust authentication applies.`,
      fix: 'Add the password (POSTGRES_PASSWORD of the self-host .env), percent-encoded in URLs.',
    });
  }
  if (t.password?.includes('$')) {
    out.push({
      code: 'PASSWORD_DOLLAR',
      severity: 'info',
      message:
        'The password contains "$", which docker compose interpolates in .env values and compose files.',
      fix: 'Escape it as $$ in compose files, or rotate to an alphanumeric password (ALTER USER for every Supabase role).',
    });
  }
  if (t.role === 'supabase_admin') {
    out.push({
      code: 'SUPABASE_ADMIN_USER',
      severity: 'info',
      message:
        'supabase_admin is the internal superuser of Studio, postgres-meta and Realtime; its connections count against max_connections like any other.',
      fix: 'Use postgres for everyday work; keep supabase_admin for what needs a superuser (auth schema ownership switches, extensions).',
    });
  }
  return out;
}
