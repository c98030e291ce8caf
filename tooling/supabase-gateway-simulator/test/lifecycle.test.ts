import { Agent, get as httpGet } from 'node:http';
import { describe, expect, test } from 'vitest';
import {
  GatewayEnvError,
  GatewayListenError,
  GatewayOptionsError,
  GatewayStoppedError,
  type SupabaseGatewayOptions,
  startSupabaseGateway,
} from '../src/index.js';
import {
  call,
  claims,
  dokployRoleless,
  envWith,
  goodKeys,
  now,
  pathsOf,
  sign,
  withKey,
} from './fixtures.js';

// Faults, services that do not start, reconfigure, .env text, options, stop.

const refused = (url: string) => expect(fetch(url)).rejects.toThrow();

describe('fault injection', () => {
  test('a stopped, crashed or hanging upstream, as Kong answers for it', async () => {
    const keys = await goodKeys();
    const gw = await startSupabaseGateway({ env: keys.env, now, faults: { rest: 'unresolvable' } });
    try {
      const rest = await call(gw.url, '/rest/v1/', withKey(keys.anon));
      expect(rest.status).toBe(503);
      expect(rest.json).toMatchObject({ message: 'name resolution failed' });
      expect((await call(gw.url, '/auth/v1/health', withKey(keys.anon))).status).toBe(200);

      await gw.setFaults({ auth: 'refused', storage: 'timeout' });
      const auth = await call(gw.url, '/auth/v1/health', withKey(keys.anon));
      expect(auth.status).toBe(502);
      expect(auth.json).toMatchObject({
        message: 'An invalid response was received from the upstream server',
      });
      const storage = await call(gw.url, '/storage/v1/bucket', withKey(keys.anon));
      expect(storage.status).toBe(504);
      expect(storage.json).toMatchObject({ message: 'The upstream server is timing out' });
      expect((await call(gw.url, '/rest/v1/', withKey(keys.anon))).status).toBe(200);
      // Kong itself still checks keys for a broken upstream
      expect((await call(gw.url, '/auth/v1/health')).status).toBe(401);

      await gw.setFaults({ gateway: 'refused' });
      expect(gw.listening).toBe(false);
      await refused(`${gw.url}/auth/v1/health`);
      await gw.clearFaults();
      expect(gw.listening).toBe(true);
      expect((await call(gw.url, '/auth/v1/health', withKey(keys.anon))).status).toBe(200);
      await expect(gw.setFaults({ rest: 'exploded' } as never)).rejects.toThrow(
        GatewayOptionsError,
      );
    } finally {
      await gw.stop();
    }
  });

  test('services that do not start with this env: Kong cannot resolve them', async () => {
    const anon = await sign(claims('anon'), 'short-secret');
    const service = await sign(claims('service_role'), 'short-secret');
    const gw = await startSupabaseGateway({
      env: envWith(anon, service, { JWT_SECRET: 'short-secret', JWT_KEYS: '{not json' }),
      now,
    });
    try {
      expect(gw.problems.map((p) => p.service).sort()).toEqual(['auth', 'rest']);
      expect(gw.problems.find((p) => p.service === 'rest')?.message).toBe(
        'The JWT secret must be at least 32 characters long.',
      );
      expect((await call(gw.url, '/rest/v1/', withKey(service))).status).toBe(503);
      expect((await call(gw.url, '/auth/v1/health', withKey(service))).status).toBe(503);
      // Storage has no length rule and verifies with the short secret
      expect((await call(gw.url, '/storage/v1/bucket', withKey(service))).status).toBe(200);
    } finally {
      await gw.stop();
    }
  });

  test('an exception inside the simulator is a Kong 500, not a hang', async () => {
    const keys = await goodKeys();
    const gw = await startSupabaseGateway({
      env: keys.env,
      now: () => {
        throw new Error('clock broke');
      },
    });
    try {
      const res = await call(gw.url, '/auth/v1/admin/users', withKey(keys.service));
      expect(res.status).toBe(500);
      expect(res.json).toMatchObject({ message: 'An unexpected error occurred' });
    } finally {
      await gw.stop();
    }
  });
});

describe('reconfigure', () => {
  test('a redeploy with fixed keys passes; identical keys take Kong down; fixing them brings it back', async () => {
    const broken = envWith(await dokployRoleless(1761000000), await dokployRoleless(1761000001));
    const gw = await startSupabaseGateway({ env: broken, now });
    try {
      const before = await call(gw.url, '/auth/v1/admin/users', withKey(broken.SERVICE_ROLE_KEY));
      expect(before.json).toMatchObject({ error_code: 'not_admin' });

      const keys = await goodKeys();
      await gw.reconfigure(keys.env);
      expect((await call(gw.url, '/auth/v1/admin/users', withKey(keys.service))).status).toBe(200);
      // the old key is no longer a credential
      expect((await call(gw.url, '/auth/v1/health', withKey(broken.SERVICE_ROLE_KEY))).status).toBe(
        401,
      );

      const same = await dokployRoleless(1761000000);
      await gw.reconfigure(envWith(same, same));
      expect(gw.listening).toBe(false);
      await refused(`${gw.url}/auth/v1/health`);

      await gw.reconfigure(keys.env);
      expect(gw.listening).toBe(true);
      expect(gw.problems).toEqual([]);
      expect(pathsOf((await call(gw.url, '/rest/v1/', withKey(keys.service))).json)).toContain(
        '/audit_log',
      );
      await expect(gw.reconfigure(42 as never)).rejects.toThrow(GatewayOptionsError);
    } finally {
      await gw.stop();
    }
  });
});

describe('the env as .env text', () => {
  test('values are what compose makes of them: a quoted trailing space stays in JWT_SECRET', async () => {
    const secret = 'dotenv-secret-of-more-than-32-characters';
    const anon = await sign(claims('anon'), secret);
    const service = await sign(claims('service_role'), secret);
    const text = (s: string) =>
      `# written by Dokploy\nJWT_SECRET=${s}\nANON_KEY=${anon}\nSERVICE_ROLE_KEY=${service} # service key\n`;

    const exact = await startSupabaseGateway({ env: text(secret), now });
    try {
      expect((await call(exact.url, '/auth/v1/admin/users', withKey(service))).status).toBe(200);
    } finally {
      await exact.stop();
    }

    // unquoted trailing spaces are trimmed by compose: still the same secret
    const trimmed = await startSupabaseGateway({ env: text(`${secret}   `), now });
    try {
      expect((await call(trimmed.url, '/auth/v1/admin/users', withKey(service))).status).toBe(200);
    } finally {
      await trimmed.stop();
    }

    // quoted, the space is part of the secret and every signature breaks
    const quoted = await startSupabaseGateway({ env: text(`"${secret} "`), now });
    try {
      expect((await call(quoted.url, '/auth/v1/admin/users', withKey(service))).json).toMatchObject(
        {
          error_code: 'bad_jwt',
        },
      );
      expect((await call(quoted.url, '/rest/v1/', withKey(service))).json).toMatchObject({
        code: 'PGRST301',
      });
    } finally {
      await quoted.stop();
    }
  });

  test('an .env that compose refuses is refused', async () => {
    await expect(startSupabaseGateway({ env: 'JWT_SECRET="unterminated\n' })).rejects.toThrow(
      GatewayEnvError,
    );
  });
});

describe('options and lifecycle', () => {
  test.each([
    ['a non-loopback host', { env: {}, host: '0.0.0.0' }],
    ['a port out of range', { env: {}, port: 70000 }],
    ['a database URL of another kind', { env: {}, database: { url: 'mysql://x' } }],
    ['an unknown option', { env: {}, colour: 'blue' }],
    ['no env', {}],
    ['a clock that is not a function', { env: {}, now: 5 }],
  ])('%s is refused with the issues listed', async (_name, options) => {
    const attempt = startSupabaseGateway(options as unknown as SupabaseGatewayOptions);
    await expect(attempt).rejects.toThrow(GatewayOptionsError);
    await expect(attempt).rejects.toThrow(/Fix:/);
  });

  test('a port in use is a GatewayListenError', async () => {
    const first = await startSupabaseGateway({ env: {} });
    try {
      await expect(startSupabaseGateway({ env: {}, port: first.port })).rejects.toThrow(
        GatewayListenError,
      );
    } finally {
      await first.stop();
    }
  });

  test('stop closes the port and leaves no server or socket handle behind', async () => {
    const servers = () =>
      process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
    // closed handles leave the list a turn of the loop later: let earlier tests' servers go first
    const turns = async (n: number) => {
      for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
    };
    await turns(20);
    const baseline = servers();
    const keys = await goodKeys();
    const gw = await startSupabaseGateway({ env: keys.env, now });
    expect(servers()).toBe(baseline + 1);
    // a keep-alive client, whose idle socket the stop must close from the server side
    const agent = new Agent({ keepAlive: true });
    const get = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpGet(
          `${gw.url}${path}`,
          { agent, headers: { apikey: keys.anon } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
      });
    expect(await get('/auth/v1/health')).toBe(200);
    const open = () =>
      Object.values(agent.sockets).flat().length + Object.values(agent.freeSockets).flat().length;
    expect(open()).toBe(1);
    await gw.stop();
    await gw.stop();
    await turns(20);
    expect(servers()).toBe(baseline);
    await refused(`${gw.url}/auth/v1/health`);
    for (let i = 0; i < 100 && open() > 0; i++) await new Promise((r) => setImmediate(r));
    expect(open()).toBe(0);
    agent.destroy();
    await expect(gw.reconfigure({})).rejects.toThrow(GatewayStoppedError);
    await expect(gw.setFaults({})).rejects.toThrow(GatewayStoppedError);
    await expect(gw.clearFaults()).rejects.toThrow(GatewayStoppedError);
  });

  test('the request log holds no key, token or password', async () => {
    const keys = await goodKeys();
    const gw = await startSupabaseGateway({ env: keys.env, now });
    try {
      await call(gw.url, '/auth/v1/admin/users', withKey(keys.service));
      await call(gw.url, `/rest/v1/?apikey=${keys.anon}`);
      await call(gw.url, '/', {
        headers: { authorization: 'Basic c3VwYWJhc2U6ZGFzaGJvYXJkLXBhc3N3b3JkLWZvci10ZXN0cw==' },
      });
      const log = JSON.stringify(gw.requests);
      for (const secret of [
        keys.anon,
        keys.service,
        'dashboard-password-for-tests',
        'c3VwYWJhc2U6',
      ]) {
        expect(log).not.toContain(secret);
      }
      expect(gw.requests).toHaveLength(3);
      expect(gw.requests[0]).toEqual({
        method: 'GET',
        path: '/auth/v1/admin/users',
        route: 'auth-v1-all',
        upstream: 'auth',
        apikey: 'service_role',
        authorization: 'bearer',
        role: 'service_role',
        status: 200,
      });
    } finally {
      await gw.stop();
    }
  });
});
