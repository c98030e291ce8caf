import { afterEach, describe, expect, it } from 'vitest';
import { parseEnv, readComposeLogs, secretRedactor, toEnvRecord } from '../src/index.js';
import { deployWithWizard } from './deployed.js';
import { type SimulatedStack, startStack } from './stack.js';

let stack: SimulatedStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const NOW = new Date('2026-09-01T12:00:00Z');
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();

function containerOf(s: SimulatedStack, composeId: string, service: string) {
  const c = [...s.sim.state.containers.values()].find(
    (x) => x.composeId === composeId && x.service === service,
  );
  if (!c) throw new Error(`no ${service} container`);
  return c;
}

describe('readComposeLogs (Dokploy simulator compose.readLogs)', () => {
  it('merges services by timestamp, filters since/search/tail, masks every secret', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const { composeId, env } = await deployWithWizard(s);
    const e = toEnvRecord(parseEnv(env));
    const rest = containerOf(s, composeId, 'rest');
    const auth = containerOf(s, composeId, 'auth');
    rest.logs = [
      `${at(180)} rest | old line`,
      `${at(30)} rest | connecting to postgres://authenticator:${e.POSTGRES_PASSWORD}@db:5432/postgres`,
      `${at(10)} rest | Schema cache loaded`,
    ];
    auth.logs = [
      `${at(20)} auth | service key ${e.SERVICE_ROLE_KEY} accepted`,
      `${at(5)} auth | JWT_SECRET is ${e.JWT_SECRET}`,
      `${at(1)} auth | request completed`,
    ];
    const logs = await readComposeLogs({
      client: s.client,
      composeId,
      services: ['rest', 'auth'],
      since: '1h',
      now: () => NOW,
    });
    expect(logs.lines.map((l) => `${l.service}:${l.timestamp}`)).toEqual([
      `rest:${at(30)}`,
      `auth:${at(20)}`,
      `rest:${at(10)}`,
      `auth:${at(5)}`,
      `auth:${at(1)}`,
    ]);
    const text = JSON.stringify(logs);
    for (const secret of [e.POSTGRES_PASSWORD, e.SERVICE_ROLE_KEY, e.JWT_SECRET] as string[])
      expect(text).not.toContain(secret.slice(4, -4));
    expect(logs.lines[0]?.text).toBe(
      'rest | connecting to postgres://authenticator:***@db:5432/postgres',
    );
    // the client masks the env values it read as first…last 4; whatever it missed is *** here
    expect(logs.lines[3]?.text).toMatch(/^auth \| JWT_SECRET is (\*\*\*|\S{4}…\S{4})$/);
    expect(logs.sources.map((x) => `${x.service}:${x.lines}`)).toEqual(['rest:2', 'auth:3']);

    // search (case-insensitive), one that Dokploy refuses (filtered here), tail, a Date since
    const found = await readComposeLogs({ client: s.client, composeId, search: 'SCHEMA cache' });
    expect(found.lines.map((l) => l.text)).toEqual(['rest | Schema cache loaded']);
    const odd = await readComposeLogs({ client: s.client, composeId, search: 'postgres://' });
    expect(odd.lines.map((l) => l.service)).toEqual(['rest']);
    const tail = await readComposeLogs({
      client: s.client,
      composeId,
      services: ['auth'],
      tail: 1,
    });
    expect(tail.lines.map((l) => l.timestamp)).toEqual([at(1)]);
    const sinceDate = await readComposeLogs({
      client: s.client,
      composeId,
      services: ['rest', 'auth'],
      since: new Date(at(6)),
      now: () => NOW,
    });
    expect(sinceDate.lines.map((l) => l.timestamp)).toEqual([at(5), at(1)]);
    // every service by default; an unknown one is reported
    const all = await readComposeLogs({ client: s.client, composeId });
    expect(all.sources.length).toBeGreaterThan(5);
    const none = await readComposeLogs({ client: s.client, composeId, services: ['nope'] });
    expect(none.sources).toEqual([
      { service: 'nope', lines: 0, unavailable: 'no container of this service exists' },
    ]);
  });

  it('says to stream on Dokploy < 0.29', async () => {
    stack = await startStack({ version: '0.28.0' });
    const s = stack;
    const { composeId } = await deployWithWizard(s);
    const logs = await readComposeLogs({ client: s.client, composeId, services: ['db'] });
    expect(logs.lines).toEqual([]);
    expect(logs.sources[0]?.unavailable).toMatch(/streamContainerLogs/);
  });

  it('secretRedactor masks env secrets, URL passwords and JWTs; leaves the rest', () => {
    const redact = secretRedactor({
      SMTP_PASS: 'hunter2hunter2',
      SITE_URL: 'https://app.acme.dev',
    });
    expect(redact('pw hunter2hunter2 at https://app.acme.dev')).toBe(
      'pw *** at https://app.acme.dev',
    );
    expect(redact('redis://:s3cret@cache:6379')).toBe('redis://:***@cache:6379');
    // a JWT-shaped value built here, so no token literal sits in the repository
    const part = (v: object | string) =>
      Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
    const jwtShaped = `${part({ alg: 'HS256' })}.${part({ role: 'anon' })}.${part('signature-value')}`;
    expect(redact(`token ${jwtShaped}`)).toBe('token eyJ***');
  });
});
