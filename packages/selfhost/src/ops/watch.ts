import type { DokployClient } from '@supaops/dokploy-client';
import { z } from 'zod';
import { parseInput } from '../errors.js';
import { clientSchema, fetchSchema, signalSchema } from './common.js';
import { checkHealth, type HealthReport } from './health.js';

/** What the watch reports; only changes, plus one `poll` per round. JSON-safe, secret-free. */
export type WatchEvent =
  | { type: 'poll'; at: string; ok: boolean; poll: number }
  | { type: 'container-unhealthy'; at: string; service: string; state: string; health: string }
  | { type: 'container-recovered'; at: string; service: string }
  | { type: 'check-failed'; at: string; check: string; reason: string }
  | { type: 'check-recovered'; at: string; check: string }
  | { type: 'pool-high'; at: string; percentUsed: number; used: number; maxConnections: number }
  | { type: 'pool-normal'; at: string; percentUsed: number }
  | { type: 'error'; at: string; message: string };

export interface WatchHealthInput {
  client: DokployClient;
  composeId: string;
  database?: unknown;
  /** Poll interval (default 10 s; at most 30 s so an unhealthy container shows within 30 s). */
  intervalMs?: number;
  /** Pool usage above this percentage is `pool-high` (default 90). */
  poolPercent?: number;
  /** Stop after this many polls (default: until the signal fires). */
  maxPolls?: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Injected clock and wait (tests). */
  now?: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const schema = z
  .object({
    client: clientSchema,
    composeId: z.string().min(1),
    database: z.unknown().optional(),
    intervalMs: z.number().int().min(0).max(30_000).optional(),
    poolPercent: z.number().min(1).max(100).optional(),
    maxPolls: z.number().int().min(1).optional(),
    fetch: fetchSchema.optional(),
    signal: signalSchema.optional(),
    now: z.custom<() => Date>((v) => typeof v === 'function').optional(),
    sleep: z.custom<(ms: number) => Promise<void>>((v) => typeof v === 'function').optional(),
  })
  .strict();

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/** The events between two reports: what became unhealthy, failed, high, or recovered. */
export function healthTransitions(
  previous: HealthReport | undefined,
  next: HealthReport,
  poolPercent: number,
): WatchEvent[] {
  const at = next.checkedAt;
  const out: WatchEvent[] = [];
  const wasBad = new Set(previous?.containers.filter((c) => !c.ok).map((c) => c.service));
  const isBad = new Set(next.containers.filter((c) => !c.ok).map((c) => c.service));
  for (const c of next.containers)
    if (!c.ok && !wasBad.has(c.service))
      out.push({
        type: 'container-unhealthy',
        at,
        service: c.service,
        state: c.state,
        health: c.health,
      });
  for (const s of wasBad)
    if (!isBad.has(s)) out.push({ type: 'container-recovered', at, service: s });
  const failedBefore = new Set(previous?.checks.filter((c) => !c.ok).map((c) => c.name));
  for (const c of next.checks) {
    if (c.name === 'containers') continue;
    if (!c.ok && !failedBefore.has(c.name))
      out.push({ type: 'check-failed', at, check: c.name, reason: c.reason });
    if (c.ok && failedBefore.has(c.name)) out.push({ type: 'check-recovered', at, check: c.name });
  }
  const high = (r: HealthReport | undefined) =>
    r?.connections !== undefined && r.connections.percentUsed > poolPercent;
  if (next.connections && high(next) && !high(previous))
    out.push({
      type: 'pool-high',
      at,
      percentUsed: next.connections.percentUsed,
      used: next.connections.used,
      maxConnections: next.connections.maxConnections,
    });
  if (next.connections && !high(next) && high(previous))
    out.push({ type: 'pool-normal', at, percentUsed: next.connections.percentUsed });
  return out;
}

/**
 * Polls checkHealth and yields what changed: a container turning unhealthy (within one
 * interval, 10 s by default and never above 30 s), HTTP checks failing, the pool above 90 %,
 * and the recoveries. Both faces (MCP, CLI) consume the same async iterator; it ends when the
 * signal fires or after `maxPolls`.
 */
export async function* watchHealth(input: WatchHealthInput): AsyncGenerator<WatchEvent> {
  const o = parseInput('watchHealth', schema, input);
  const now = o.now ?? (() => new Date());
  const sleep = o.sleep ?? defaultSleep;
  const interval = o.intervalMs ?? 10_000;
  const poolPercent = o.poolPercent ?? 90;
  let previous: HealthReport | undefined;
  for (let poll = 1; o.maxPolls === undefined || poll <= o.maxPolls; poll++) {
    if (o.signal?.aborted) return;
    try {
      const report = await checkHealth({
        client: o.client,
        composeId: o.composeId,
        ...(o.database !== undefined ? { database: o.database } : {}),
        criticalPercent: poolPercent,
        ...(o.fetch ? { fetch: o.fetch } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
        now,
      });
      yield* healthTransitions(previous, report, poolPercent);
      yield { type: 'poll', at: report.checkedAt, ok: report.ok, poll };
      previous = report;
    } catch (error) {
      if (o.signal?.aborted) return;
      yield {
        type: 'error',
        at: now().toISOString(),
        message: (error as Error)?.message ?? String(error),
      };
    }
    if (o.maxPolls !== undefined && poll >= o.maxPolls) return;
    await sleep(interval, o.signal);
  }
}
