import { afterEach, describe, expect, it } from 'vitest';
import {
  followComposeLogs,
  type LogLine,
  parseEnv,
  SelfhostValidationError,
  toEnvRecord,
} from '../src/index.js';
import { deployWithWizard } from './deployed.js';
import { type SimulatedStack, startStack } from './stack.js';

let stack: SimulatedStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();

function containerOf(s: SimulatedStack, composeId: string, service: string) {
  const c = [...s.sim.state.containers.values()].find(
    (x) => x.composeId === composeId && x.service === service,
  );
  if (!c) throw new Error(`no ${service} container`);
  return c;
}

/** A deployed stack whose rest and auth containers have history lines (with secrets in them). */
async function deployed() {
  stack = await startStack({ version: '0.30.2', logFollowIntervalMs: 15 });
  const s = stack;
  const { composeId, env } = await deployWithWizard(s);
  const e = toEnvRecord(parseEnv(env));
  containerOf(s, composeId, 'rest').logs = [
    `${at(180)} rest | old line`,
    `${at(30)} rest | connecting to postgres://authenticator:${e.POSTGRES_PASSWORD}@db:5432/postgres`,
    `${at(10)} rest | Schema cache loaded`,
  ];
  containerOf(s, composeId, 'auth').logs = [
    `${at(20)} auth | service key ${e.SERVICE_ROLE_KEY} accepted`,
    `${at(5)} auth | JWT_SECRET is ${e.JWT_SECRET}`,
  ];
  return { s, composeId, e };
}

/** Ends the follow once every named service has sent a live heartbeat line. */
function untilHeartbeats(services: string[]) {
  const controller = new AbortController();
  const lines: LogLine[] = [];
  const onLine = (l: LogLine) => {
    lines.push(l);
    const beat = new Set(lines.filter((x) => x.text.includes('heartbeat')).map((x) => x.service));
    if (services.every((svc) => beat.has(svc))) controller.abort();
  };
  return { lines, onLine, signal: controller.signal };
}

describe('followComposeLogs (Dokploy simulator /docker-container-logs WebSocket)', () => {
  it('history of every service merged by time first, then live lines; since filters; secrets masked', async () => {
    const { s, composeId, e } = await deployed();
    const follow = untilHeartbeats(['rest', 'auth']);
    const result = await followComposeLogs({
      client: s.client,
      composeId,
      services: ['rest', 'auth'],
      since: '1h',
      tail: 50,
      historyMs: 100,
      durationMs: 20_000,
      onLine: follow.onLine,
      signal: follow.signal,
    });
    expect(result.endedBy).toBe('signal');
    const history = follow.lines.filter((l) => !l.text.includes('heartbeat'));
    expect(history.map((l) => l.service)).toEqual(['rest', 'auth', 'rest', 'auth']);
    expect(follow.lines.slice(0, 4)).toEqual(history); // history before any live line
    expect(history[0]?.text).toBe(
      'rest | connecting to postgres://authenticator:***@db:5432/postgres',
    );
    expect(history.map((l) => l.timestamp)).toEqual([...history.map((l) => l.timestamp)].sort());
    const text = JSON.stringify(follow.lines);
    for (const secret of [e.POSTGRES_PASSWORD, e.SERVICE_ROLE_KEY, e.JWT_SECRET] as string[])
      expect(text).not.toContain(secret.slice(4, -4));
    expect(text).not.toContain('old line');
    const live = follow.lines.slice(4);
    expect(live.length).toBeGreaterThanOrEqual(2);
    expect(live.every((l) => /heartbeat \d+$/.test(l.text) && l.timestamp)).toBe(true);
    expect(result.lines).toBe(follow.lines.length);
    expect(result.sources.map((x) => [x.service, x.failed])).toEqual([
      ['rest', undefined],
      ['auth', undefined],
    ]);
    expect(result.sources.every((x) => x.lines >= 3 && x.containerId)).toBe(true);
  });

  it('search filters history and live lines, also a search Dokploy refuses; a missing service is reported', async () => {
    const { s, composeId } = await deployed();
    const seen: LogLine[] = [];
    const controller = new AbortController();
    const result = await followComposeLogs({
      client: s.client,
      composeId,
      services: ['rest', 'nope'],
      search: 'POSTGRES://',
      historyMs: 50,
      signal: controller.signal,
      onLine: (l) => {
        seen.push(l);
        controller.abort();
      },
    });
    expect(seen.map((l) => l.text)).toEqual([
      'rest | connecting to postgres://authenticator:***@db:5432/postgres',
    ]);
    expect(result.sources).toEqual([
      expect.objectContaining({ service: 'rest', lines: 1 }),
      { service: 'nope', lines: 0, failed: 'no container of this service exists' },
    ]);
    const beats: LogLine[] = [];
    const heartbeat = new AbortController();
    await followComposeLogs({
      client: s.client,
      composeId,
      services: ['auth'],
      search: 'heartbeat',
      historyMs: 0,
      signal: heartbeat.signal,
      onLine: (l) => {
        beats.push(l);
        if (beats.length === 2) heartbeat.abort();
      },
    });
    expect(beats.map((l) => l.text)).toEqual([
      expect.stringMatching(/^auth \| heartbeat \d+$/),
      expect.stringMatching(/^auth \| heartbeat \d+$/),
    ]);
  });

  it('streams dropped by a Dokploy restart are reported per service and end the follow', async () => {
    const { s, composeId } = await deployed();
    let restarted = false;
    const result = await followComposeLogs({
      client: s.client,
      composeId,
      services: ['rest', 'auth'],
      historyMs: 0,
      durationMs: 20_000,
      onLine: (l) => {
        if (!restarted && l.text.includes('heartbeat')) {
          restarted = true;
          s.sim.restart();
        }
      },
    });
    expect(result.endedBy).toBe('streams-closed');
    for (const src of result.sources) {
      expect(src.failed).toMatch(/closed before the end \(code 1006\)/);
      expect(src.closeCode).toBe(1006);
    }
  });

  it('ends after durationMs; an onLine that throws ends it with that error; input is validated', async () => {
    const { s, composeId } = await deployed();
    const timed = await followComposeLogs({
      client: s.client,
      composeId,
      services: ['rest'],
      historyMs: 10,
      durationMs: 60,
      onLine: () => {},
    });
    expect(timed.endedBy).toBe('duration');
    await expect(
      followComposeLogs({
        client: s.client,
        composeId,
        services: ['rest'],
        historyMs: 10,
        durationMs: 20_000,
        onLine: () => {
          throw new Error('EPIPE');
        },
      }),
    ).rejects.toThrow('EPIPE');
    await expect(
      followComposeLogs({ client: s.client, composeId, onLine: () => {} }),
    ).rejects.toSatisfy(
      (e: unknown) =>
        SelfhostValidationError.isInstance(e) &&
        /give durationMs or signal/.test((e as Error).message),
    );
    // every service of the compose by default, each on its own stream
    const all = await followComposeLogs({
      client: s.client,
      composeId,
      since: new Date(Date.now() - 60_000),
      historyMs: 10,
      durationMs: 100,
      onLine: () => {},
    });
    expect(all.sources.length).toBeGreaterThan(5);
    expect(all.sources.every((x) => !x.failed)).toBe(true);
  });
});
