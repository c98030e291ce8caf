import { monitorConnections, type Queryable, redactConnectionString } from '@supaops/pg-connect';
import { type Check, type CheckContext, readersOf, runs, setValue } from './context.js';
import { type DoctorFinding, finding } from './finding.js';

const TENANT_PLACEHOLDER = 'your-tenant-id';

function integer(ctx: CheckContext, name: string): number | undefined {
  const value = setValue(ctx, name);
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** The tenant placeholder and the pool size against the client limit (offline). */
export const checkPooler: Check = (ctx) => {
  if (!runs(ctx, 'supavisor')) return [];
  const out: DoctorFinding[] = [];
  const services = readersOf(ctx, 'POOLER_TENANT_ID');
  const tenant = setValue(ctx, 'POOLER_TENANT_ID');
  if (tenant === TENANT_PLACEHOLDER) {
    out.push(
      finding(
        'POOLER_TENANT_ID_PLACEHOLDER',
        'POOLER_TENANT_ID is "your-tenant-id" from .env.example: every instance set up this way shares the tenant, and it is hard to change once clients connect as postgres.your-tenant-id.',
        { variable: 'POOLER_TENANT_ID', services },
      ),
    );
  } else if (tenant !== undefined && !/^[A-Za-z0-9_-]+$/.test(tenant)) {
    out.push(
      finding(
        'POOLER_TENANT_ID_INVALID',
        `POOLER_TENANT_ID "${tenant}" has characters outside letters, digits, - and _: pooler users are postgres.<tenant>, which such characters break.`,
        { variable: 'POOLER_TENANT_ID', services },
      ),
    );
  }
  const pool = integer(ctx, 'POOLER_DEFAULT_POOL_SIZE');
  const clients = integer(ctx, 'POOLER_MAX_CLIENT_CONN');
  if (pool !== undefined && clients !== undefined && pool > clients) {
    out.push(
      finding(
        'POOLER_POOL_SIZE_ABOVE_CLIENT_LIMIT',
        `POOLER_DEFAULT_POOL_SIZE=${pool} is larger than POOLER_MAX_CLIENT_CONN=${clients}.`,
        { variable: 'POOLER_DEFAULT_POOL_SIZE', services },
      ),
    );
  }
  return out;
};

/**
 * The pool size against the database's real `max_connections` (pg-connect's connection
 * monitor): Supavisor opens up to POOLER_DEFAULT_POOL_SIZE connections per pool, next to the
 * services' own. Needs a reachable database; never throws.
 */
export async function checkPoolSize(
  ctx: CheckContext,
  database: Queryable,
): Promise<DoctorFinding[]> {
  const pool = integer(ctx, 'POOLER_DEFAULT_POOL_SIZE');
  if (!runs(ctx, 'supavisor') || pool === undefined) {
    ctx.skipped.push({
      check: 'pooler.max_connections',
      reason: runs(ctx, 'supavisor')
        ? 'POOLER_DEFAULT_POOL_SIZE is not a number'
        : 'the stack has no supavisor service',
    });
    return [];
  }
  const services = readersOf(ctx, 'POOLER_DEFAULT_POOL_SIZE');
  let report: Awaited<ReturnType<typeof monitorConnections>>;
  try {
    report = await monitorConnections(database, { poolerDefaultPoolSize: pool });
  } catch (error) {
    const reason = redactConnectionString((error as Error)?.message ?? String(error));
    ctx.skipped.push({ check: 'pooler.max_connections', reason: 'the database was not reachable' });
    return [
      finding(
        'DATABASE_UNREACHABLE',
        `The pool-size check could not read max_connections: ${reason}`,
        { variable: 'POOLER_DEFAULT_POOL_SIZE', services },
      ),
    ];
  }
  const reserved = report.superuserReservedConnections + report.reservedConnections;
  const available = report.maxConnections - reserved;
  if (pool >= available) {
    return [
      finding(
        'POOLER_POOL_SIZE_EXCEEDS_MAX_CONNECTIONS',
        `POOLER_DEFAULT_POOL_SIZE=${pool} but the database allows ${report.maxConnections} connections with ${reserved} reserved for superusers: ${available} are left for everyone, services included. Supavisor's pools then exhaust the server ("remaining connection slots are reserved"). Keep it at or below ${report.recommendedPoolerPoolSize}.`,
        { variable: 'POOLER_DEFAULT_POOL_SIZE', services },
      ),
    ];
  }
  if (pool > report.recommendedPoolerPoolSize) {
    return [
      finding(
        'POOLER_POOL_SIZE_TIGHT',
        `POOLER_DEFAULT_POOL_SIZE=${pool} fits max_connections ${report.maxConnections} (${reserved} reserved), but the services already hold ${report.used} connections: the largest size that leaves them room is ${report.recommendedPoolerPoolSize}.`,
        { variable: 'POOLER_DEFAULT_POOL_SIZE', services },
      ),
    ];
  }
  return [];
}
