import { createPool } from '@supaops/pg-connect';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { type WatchEvent, watchHealth } from '../src/index.js';
import { deployWithWizard } from './deployed.js';
import { type SimulatedStack, startStack } from './stack.js';

const db = useTestDatabase('watch');
let stack: SimulatedStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('watchHealth (simulators + test kit PostgreSQL), injected clock and wait', () => {
  it('reports a container turning unhealthy at the next poll, its recovery, and a pool above the limit', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const { composeId } = await deployWithWizard(s);
    const rest = [...s.sim.state.containers.values()].find(
      (c) => c.composeId === composeId && c.service === 'rest',
    );
    if (!rest) throw new Error('no rest container');
    let clock = Date.parse('2026-09-01T00:00:00Z');
    const waits: number[] = [];
    const pool = createPool(db.current.adminUrl, { max: 4 });
    const held: Awaited<ReturnType<typeof pool.connect>>[] = [];
    // what happens between polls: rest turns unhealthy, then recovers, then connections pile up
    const script = [
      () => {
        rest.health = 'unhealthy';
      },
      () => {
        rest.health = 'healthy';
      },
      async () => {
        for (let i = 0; i < 4; i++) held.push(await pool.connect());
      },
    ];
    const events: WatchEvent[] = [];
    try {
      for await (const e of watchHealth({
        client: s.client,
        composeId,
        database: db.current.adminUrl,
        poolPercent: 1, // 4 held connections exceed 1 % of any max_connections up to 400
        fetch: s.fetch,
        maxPolls: 4,
        now: () => new Date(clock),
        sleep: async (ms) => {
          waits.push(ms);
          clock += ms;
          await script.shift()?.();
        },
      }))
        events.push(e);
    } finally {
      for (const c of held) c.release();
      await pool.end();
    }
    const types = events.map((e) => e.type);
    expect(waits).toEqual([10_000, 10_000, 10_000]);
    // the first poll may already see the pool above 1 % (other connections of the test server)
    const noPool = events.filter((e) => e.type !== 'pool-high' && e.type !== 'pool-normal');
    expect(noPool.map((e) => e.type)).toEqual([
      'poll',
      'container-unhealthy',
      'poll',
      'container-recovered',
      'poll',
      'poll',
    ]);
    expect(events.find((e) => e.type === 'container-unhealthy')).toMatchObject({
      service: 'rest',
      health: 'unhealthy',
      at: '2026-09-01T00:00:10.000Z',
    });
    expect(types).toContain('pool-high');
    const high = events.find((e) => e.type === 'pool-high');
    expect(high && 'percentUsed' in high && high.percentUsed).toBeGreaterThan(1);
  });

  it('stops when the signal fires; a failing poll is an error event', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const controller = new AbortController();
    const events: WatchEvent[] = [];
    for await (const e of watchHealth({
      client: s.client,
      composeId: 'no-such-compose',
      signal: controller.signal,
      intervalMs: 0,
      sleep: async () => controller.abort(),
    }))
      events.push(e);
    expect(events.map((e) => e.type)).toEqual(['error']);
  });
});
