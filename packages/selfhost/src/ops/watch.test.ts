import { describe, expect, it } from 'vitest';
import type { HealthReport } from './health.js';
import { healthTransitions } from './watch.js';

const report = (over: Partial<HealthReport>): HealthReport => ({
  composeId: 'c',
  appName: 'a',
  ok: true,
  containers: [],
  checks: [],
  skipped: [],
  checkedAt: '2026-09-01T00:00:00.000Z',
  ...over,
});

describe('healthTransitions', () => {
  it('reports HTTP checks failing and recovering, and the pool going back to normal', () => {
    const bad = report({ checks: [{ name: 'rest-anon', ok: false, reason: '503' }] });
    const good = report({ checks: [{ name: 'rest-anon', ok: true, reason: '200' }] });
    expect(healthTransitions(undefined, bad, 90).map((e) => e.type)).toEqual(['check-failed']);
    expect(healthTransitions(bad, good, 90).map((e) => e.type)).toEqual(['check-recovered']);
    const conn = (percentUsed: number) => ({
      maxConnections: 100,
      used: percentUsed,
      percentUsed,
      level: 'ok' as const,
      byService: {},
      recommendedPoolerPoolSize: 10,
      recommendations: [],
    });
    const high = report({ connections: conn(95) });
    const low = report({ connections: conn(50) });
    expect(healthTransitions(low, high, 90).map((e) => e.type)).toEqual(['pool-high']);
    expect(healthTransitions(high, high, 90)).toEqual([]);
    expect(healthTransitions(high, low, 90)).toEqual([
      { type: 'pool-normal', at: '2026-09-01T00:00:00.000Z', percentUsed: 50 },
    ]);
  });
});
