import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type SupabaseGateway, startSupabaseGateway } from '../src/index.js';
import {
  call,
  claims,
  DEMO,
  dokployRoleless,
  envWith,
  goodKeys,
  now,
  pathsOf,
  sign,
  withKey,
} from './fixtures.js';

// Every route × every kind of key a deploy can end up with. The request is what a post-deploy
// check sends: `apikey: <key>` and `Authorization: Bearer <key>`.

type Route = 'health' | 'settings' | 'admin' | 'rest' | 'storage' | 'unknown';
const PATHS: Record<Route, string> = {
  health: '/auth/v1/health',
  settings: '/auth/v1/settings',
  admin: '/auth/v1/admin/users',
  rest: '/rest/v1/',
  storage: '/storage/v1/bucket',
  unknown: '/does/not/exist',
};

interface Expectation {
  status: number;
  body?: unknown;
  paths?: string[];
}

const kong = (message: string): Expectation['body'] => ({ message });
const GOTRUE_HEALTH = {
  version: 'v2.189.0',
  name: 'GoTrue',
  description: 'GoTrue is a user registration and authentication API',
};
const SETTINGS = { disable_signup: false, mailer_autoconfirm: false, phone_autoconfirm: true };
const ANON_PATHS = ['/', '/profiles'];
const SERVICE_PATHS = ['/', '/audit_log', '/profiles'];
const AVATARS = [{ id: 'avatars', name: 'avatars', public: false }];
const badJwt = (msg: string) => ({
  code: 403,
  error_code: 'bad_jwt',
  msg: `invalid JWT: unable to parse or verify signature, ${msg}`,
});
const storageDenied = (message: string) => ({
  statusCode: '403',
  code: 'AccessDenied',
  error: 'Unauthorized',
  message,
});
const NOT_ADMIN = { code: 403, error_code: 'not_admin', msg: 'User not allowed' };
const DASHBOARD = { status: 401, body: kong('Unauthorized') };

interface Case {
  name: string;
  setup: () => Promise<{ env: Record<string, string>; init: RequestInit }>;
  expect: Record<Route, Expectation>;
}

const ok = (extra: Partial<Record<Route, Expectation>>): Record<Route, Expectation> => ({
  health: { status: 200, body: GOTRUE_HEALTH },
  settings: { status: 200, body: SETTINGS },
  admin: { status: 200, body: { users: [], aud: 'authenticated' } },
  rest: { status: 200, paths: SERVICE_PATHS },
  storage: { status: 200, body: AVATARS },
  unknown: DASHBOARD,
  ...extra,
});

const kongRefuses = (message: string, storage: Expectation): Record<Route, Expectation> => ({
  health: { status: 401, body: kong(message) },
  settings: { status: 401, body: kong(message) },
  admin: { status: 401, body: kong(message) },
  rest: { status: 401, body: kong(message) },
  storage,
  unknown: DASHBOARD,
});

const CASES: Case[] = [
  {
    name: 'no key',
    setup: async () => ({ env: (await goodKeys()).env, init: {} }),
    expect: kongRefuses('No API key found in request', {
      status: 400,
      body: storageDenied('Invalid Compact JWS'),
    }),
  },
  {
    name: 'a wrong key',
    setup: async () => ({
      env: (await goodKeys()).env,
      init: { headers: { apikey: 'not-a-key' } },
    }),
    expect: kongRefuses('Unauthorized', {
      status: 400,
      body: storageDenied('Invalid Compact JWS'),
    }),
  },
  {
    // Kong compares strings; Storage has no key-auth and takes any JWT signed with JWT_SECRET
    name: 'a valid service_role JWT that is not the configured key',
    setup: async () => ({
      env: (await goodKeys()).env,
      init: withKey(await sign(claims('service_role', { iat: 1 }))),
    }),
    expect: kongRefuses('Unauthorized', { status: 200, body: AVATARS }),
  },
  {
    name: 'the anon key',
    setup: async () => {
      const keys = await goodKeys();
      return { env: keys.env, init: withKey(keys.anon) };
    },
    expect: ok({
      admin: { status: 403, body: NOT_ADMIN },
      rest: { status: 200, paths: ANON_PATHS },
      storage: { status: 200, body: [] },
    }),
  },
  {
    name: 'the service key',
    setup: async () => {
      const keys = await goodKeys();
      return { env: keys.env, init: withKey(keys.service) };
    },
    expect: ok({}),
  },
  {
    name: 'an expired service key',
    setup: async () => {
      const anon = await sign(claims('anon'));
      const service = await sign(claims('service_role', { exp: Math.floor(now() / 1000) - 3600 }));
      return { env: envWith(anon, service), init: withKey(service) };
    },
    expect: ok({
      admin: { status: 403, body: badJwt('token has invalid claims: token is expired') },
      rest: { status: 401, body: { code: 'PGRST303', message: 'JWT expired' } },
      storage: { status: 400, body: storageDenied('"exp" claim timestamp check failed') },
    }),
  },
  {
    name: 'keys signed with another secret',
    setup: async () => {
      const other = 'a-different-secret-of-at-least-32-characters';
      const anon = await sign(claims('anon'), other);
      const service = await sign(claims('service_role'), other);
      return { env: envWith(anon, service), init: withKey(service) };
    },
    expect: ok({
      admin: { status: 403, body: badJwt('token signature is invalid: signature is invalid') },
      rest: {
        status: 401,
        body: {
          code: 'PGRST301',
          message: 'No suitable key or wrong key type',
          details: 'None of the keys was able to decode the JWT',
          hint: null,
        },
      },
      storage: { status: 400, body: storageDenied('signature verification failed') },
    }),
  },
  {
    // Dokploy bug with distinct iat: no role claim, so GoTrue refuses and PostgREST/Storage use anon
    name: 'role-less keys',
    setup: async () => {
      const anon = await dokployRoleless(1761000000);
      const service = await dokployRoleless(1761000001);
      return { env: envWith(anon, service), init: withKey(service) };
    },
    expect: ok({
      admin: { status: 403, body: NOT_ADMIN },
      rest: { status: 200, paths: ANON_PATHS },
      storage: { status: 200, body: [] },
    }),
  },
  {
    name: 'the env.example demo keys',
    setup: async () => ({
      env: envWith(DEMO.anon, DEMO.service, { JWT_SECRET: DEMO.secret }),
      init: withKey(DEMO.service),
    }),
    expect: ok({}),
  },
];

for (const c of CASES) {
  describe(c.name, () => {
    let gw: SupabaseGateway;
    let init: RequestInit;
    beforeAll(async () => {
      const setup = await c.setup();
      init = setup.init;
      gw = await startSupabaseGateway({ env: setup.env, now });
    });
    afterAll(() => gw.stop());

    for (const route of Object.keys(PATHS) as Route[]) {
      test(`${route} → ${c.expect[route].status}`, async () => {
        const want = c.expect[route];
        const res = await call(gw.url, PATHS[route], init);
        expect(res.status).toBe(want.status);
        if (want.body !== undefined) expect(res.json).toMatchObject(want.body as object);
        if (want.paths) expect(pathsOf(res.json)).toEqual(want.paths);
      });
    }
  });
}

describe('identical role-less keys (Dokploy 0.22.5–0.25.5 with the current template)', () => {
  test('Kong 3.9.1 refuses its declarative config, so nothing answers', async () => {
    const key = await dokployRoleless(1761000000);
    const gw = await startSupabaseGateway({ env: envWith(key, key), now });
    try {
      expect(gw.listening).toBe(false);
      expect(gw.problems).toEqual([
        expect.objectContaining({
          service: 'kong',
          message: expect.stringContaining(
            "uniqueness violation: 'keyauth_credentials' entity with key set to",
          ),
        }),
      ]);
      // the key itself is never printed whole
      expect(JSON.stringify(gw.problems)).not.toContain(key);
      for (const path of Object.values(PATHS)) {
        await expect(fetch(gw.url + path, withKey(key))).rejects.toThrow();
      }
    } finally {
      await gw.stop();
    }
  });

  test('Kong 2.8.1 keeps one credential: the key is role-less everywhere', async () => {
    const key = await dokployRoleless(1761000000);
    const gw = await startSupabaseGateway({ env: envWith(key, key), now, kong: '2.8.1' });
    try {
      expect(gw.problems).toEqual([]);
      expect((await call(gw.url, PATHS.health, withKey(key))).status).toBe(200);
      expect((await call(gw.url, PATHS.admin, withKey(key))).json).toMatchObject(NOT_ADMIN);
      expect(pathsOf((await call(gw.url, PATHS.rest, withKey(key))).json)).toEqual(ANON_PATHS);
      expect((await call(gw.url, PATHS.storage, withKey(key))).json).toEqual([]);
      // the later declaration (service_role) owns the key
      expect(gw.requests.at(-1)?.apikey).toBe('service_role');
    } finally {
      await gw.stop();
    }
  });
});
