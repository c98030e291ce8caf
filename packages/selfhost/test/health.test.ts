import { createPool } from '@supaops/pg-connect';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { checkHealth } from '../src/index.js';
import { deployWithWizard } from './deployed.js';
import { type SimulatedStack, startStack } from './stack.js';

const db = useTestDatabase('health');
let stack: SimulatedStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('checkHealth (Dokploy simulator + gateway simulator + test kit PostgreSQL)', () => {
  it('containers, HTTP checks and connection pressure; an unhealthy container fails it', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const { composeId, appName } = await deployWithWizard(s);
    const healthy = await checkHealth({
      client: s.client,
      composeId,
      database: db.current.adminUrl,
      fetch: s.fetch,
      now: () => new Date('2026-09-01T00:00:00Z'),
    });
    expect(healthy.ok).toBe(true);
    expect(healthy.appName).toBe(appName);
    expect(healthy.checkedAt).toBe('2026-09-01T00:00:00.000Z');
    expect(healthy.checks.map((c) => c.name)).toEqual([
      'containers',
      'auth-health',
      'rest-anon',
      'rest-service',
      'rest-privileges-differ',
      'auth-admin',
      'storage-buckets',
    ]);
    expect(healthy.containers.length).toBeGreaterThan(5);
    expect(healthy.connections?.maxConnections).toBeGreaterThan(0);
    expect(healthy.connections?.used).toBeGreaterThan(0);
    expect(healthy.skipped).toEqual([]);

    // rest's health check starts failing
    const rest = [...s.sim.state.containers.values()].find(
      (c) => c.composeId === composeId && c.service === 'rest',
    );
    if (!rest) throw new Error('no rest container');
    rest.health = 'unhealthy';
    const sick = await checkHealth({ client: s.client, composeId, fetch: s.fetch });
    expect(sick.ok).toBe(false);
    expect(sick.checks[0]).toMatchObject({ name: 'containers', ok: false, services: ['rest'] });
    expect(sick.skipped).toEqual(['connections: no database was given']);
  });

  it('pool pressure above the critical percentage fails it; an unreachable database is reported, masked', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const { composeId } = await deployWithWizard(s);
    const pool = createPool(db.current.adminUrl, { max: 6 });
    const held = await Promise.all(Array.from({ length: 6 }, () => pool.connect()));
    try {
      const tight = await checkHealth({
        client: s.client,
        composeId,
        database: db.current.adminUrl,
        criticalPercent: 1,
        fetch: s.fetch,
      });
      expect(tight.connections?.used).toBeGreaterThanOrEqual(6);
      expect(tight.connections?.level).toBe('critical');
      expect(tight.ok).toBe(false);
      const roomy = await checkHealth({
        client: s.client,
        composeId,
        database: db.current.adminUrl,
        criticalPercent: 100,
        fetch: s.fetch,
      });
      expect(roomy.connections?.level).not.toBe('critical');
      expect(roomy.ok).toBe(true);
    } finally {
      for (const c of held) c.release();
      await pool.end();
    }
    const down = await checkHealth({
      client: s.client,
      composeId,
      database: 'postgresql://postgres:Sup3rSecretPassw0rd@127.0.0.1:1/postgres',
      fetch: s.fetch,
    });
    expect(down.database?.reachable).toBe(false);
    expect(JSON.stringify(down)).not.toContain('Sup3rSecretPassw0rd');
    expect(down.ok).toBe(true); // an unreachable database is not an unhealthy stack
  });

  it('containers only when the env has no public URL or keys', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const { project } = await s.client.project.create({ name: 'bare' });
    const environmentId = (await s.client.project.one({ projectId: project.projectId }))
      .environments?.[0]?.environmentId as string;
    const c = await s.client.compose.create({
      name: 'x',
      environmentId,
      composeFile: 'services:\n  db:\n    image: postgres:17\n',
    });
    const report = await checkHealth({ client: s.client, composeId: c.composeId });
    expect(report.ok).toBe(false);
    expect(report.checks).toEqual([
      { name: 'containers', ok: false, reason: 'the compose has no containers (never deployed?)' },
    ]);
    expect(report.skipped[0]).toMatch(/^http:/);
  });
});
