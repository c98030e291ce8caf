import { executeSql } from '@supaops/pg-connect';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../src/index.js';
import { HOST, healthyEnv } from './helpers.js';

/** The pool-size check against a real PostgreSQL's max_connections (pg-connect's monitor). */

const db = useTestDatabase('pool');
const NOW = new Date('2026-09-01T00:00:00Z');
let env: Record<string, string>;
let available: number;

beforeAll(async () => {
  env = await healthyEnv(NOW);
  const { rows } = await executeSql(
    db.current.adminUrl,
    `SELECT current_setting('max_connections')::int AS max,
            current_setting('superuser_reserved_connections')::int AS su,
            coalesce(current_setting('reserved_connections', true), '0')::int AS reserved`,
  );
  const row = rows[0] as { max: number; su: number; reserved: number };
  available = row.max - row.su - row.reserved;
});

async function poolFindings(poolSize: number, database = db.current.adminUrl) {
  const result = await validateConfig({
    env: { ...env, POOLER_DEFAULT_POOL_SIZE: String(poolSize), POOLER_MAX_CLIENT_CONN: '100000' },
    database,
    now: NOW,
    domain: { host: HOST, https: true },
  });
  return result.findings.filter((f) => f.variable === 'POOLER_DEFAULT_POOL_SIZE');
}

describe('POOLER_DEFAULT_POOL_SIZE against max_connections', () => {
  it('is an error when the pool alone needs every non-reserved slot', async () => {
    const [f] = await poolFindings(available);
    expect(f?.code).toBe('POOLER_POOL_SIZE_EXCEEDS_MAX_CONNECTIONS');
    expect(f?.message).toContain(`${available} are left`);
  });

  it('is a warning when it fits max_connections but not next to the services and headroom', async () => {
    const found = await poolFindings(available - 1);
    expect(found.map((f) => f.code)).toEqual(['POOLER_POOL_SIZE_TIGHT']);
  });

  it('says nothing about a pool that fits', async () => {
    expect(await poolFindings(2)).toEqual([]);
  });

  it('reports an unreachable database without its password, and does not throw', async () => {
    const [f] = await poolFindings(
      20,
      'postgresql://postgres:Sup3rSecretPassw0rd@127.0.0.1:1/postgres?connect_timeout=2',
    );
    expect(f?.code).toBe('DATABASE_UNREACHABLE');
    expect(JSON.stringify(f)).not.toContain('Sup3rSecretPassw0rd');
  });
});
