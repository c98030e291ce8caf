import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { bootState } from './boot-state.js';
import {
  GatewayEnvError,
  GatewayListenError,
  GatewayOptionsError,
  GatewayStoppedError,
  redact,
  SupabaseGatewayError,
} from './errors.js';
import { readGatewayEnv } from './gateway-env.js';
import { algOfJwk, decodeRawBase64Url } from './jwt-parts.js';
import { KONG_PROFILES, matchRoute, upstreamPath } from './kong-profile.js';
import { defaultGatewayData, memorySource } from './memory-source.js';
import { openApiDocument } from './openapi.js';

const K39 = KONG_PROFILES['3.9.1'];
const K28 = KONG_PROFILES['2.8.1'];
const LONG = 'a-jwt-secret-that-is-long-enough-for-postgrest';

describe('Kong routing', () => {
  test.each([
    ['/auth/v1/health', 'auth-v1-all', '/health'],
    ['/auth/v1/verify', 'auth-v1-open', '/verify'],
    ['/auth/v1/verify/x', 'auth-v1-open', '/verify/x'],
    ['/auth/v1/.well-known/jwks.json', 'auth-v1-open-jwks', '/.well-known/jwks.json'],
    ['/rest/v1/', 'rest-v1-all', '/'],
    ['/rest/v1/profiles', 'rest-v1-all', '/profiles'],
    ['/rest/v1', 'dashboard-all', '/rest/v1'],
    ['/realtime/v1/api/tenants/x', 'realtime-v1-rest-tenants', '/x'],
    ['/realtime/v1/websocket', 'realtime-v1-ws', '/websocket'],
    ['/graphql/v1', 'graphql-v1-all', '/'],
    ['/mcp', 'mcp', '/'],
    ['/', 'dashboard-all', '/'],
  ])('3.9.1 %s → %s (upstream %s)', (path, name, up) => {
    const route = matchRoute(K39, path);
    expect(route?.name).toBe(name);
    expect(upstreamPath(route as NonNullable<typeof route>, path)).toBe(up);
  });

  test('2.8.1 has no jwks, MCP or opaque keys, but the analytics route', () => {
    expect(matchRoute(K28, '/auth/v1/.well-known/jwks.json')?.name).toBe('auth-v1-all');
    expect(matchRoute(K28, '/mcp')?.name).toBe('dashboard-all');
    expect(matchRoute(K28, '/analytics/v1/x')?.name).toBe('analytics-v1-all');
    expect(K28.opaqueKeys).toBe(false);
  });

  test('no route when nothing is a prefix', () => {
    expect(matchRoute({ ...K39, routes: K39.routes.filter((r) => r.prefix !== '/') }, '/x')).toBe(
      undefined,
    );
  });
});

describe('readGatewayEnv', () => {
  test('verbatim values, Go booleans, schemas, JWT_KEYS default and parse failures', () => {
    const env = readGatewayEnv({
      JWT_SECRET: ` ${LONG} `,
      DISABLE_SIGNUP: 'True',
      ENABLE_EMAIL_SIGNUP: 'yes',
      PGRST_DB_SCHEMAS: ' public , storage ,',
      JWT_JWKS: '{"keys":[{"kty":"oct","k":"AA"}]}',
    });
    expect(env.jwtSecret).toBe(` ${LONG} `);
    expect(env.auth.disableSignup).toBe(true);
    expect(env.auth.emailEnabled).toBe(false);
    expect(env.restSchemas).toEqual(['public', 'storage']);
    expect(env.jwtKeys).toEqual({ ok: true, keys: [] });
    expect(env.jwtJwks).toEqual({ ok: true, keys: [{ kty: 'oct', k: 'AA' }] });
    expect(env.anonKey).toBe('');
    expect(readGatewayEnv({}).restSchemas).toEqual(['public']);
    expect(readGatewayEnv({ JWT_KEYS: '[oops' }).jwtKeys).toMatchObject({ ok: false });
    expect(readGatewayEnv({ JWT_KEYS: '{}' }).jwtKeys).toEqual({
      ok: false,
      reason: 'not a JSON array of JWKs',
    });
    expect(readGatewayEnv({ JWT_JWKS: '[1]' }).jwtJwks).toEqual({
      ok: false,
      reason: 'not a JWK set {"keys":[…]}',
    });
    expect(readGatewayEnv('ANON_KEY="quoted "\n').anonKey).toBe('quoted ');
  });
});

describe('bootState', () => {
  const base = {
    JWT_SECRET: LONG,
    ANON_KEY: 'anon-key-value-1',
    SERVICE_ROLE_KEY: 'service-key-value',
  };

  test('credentials per consumer; empty keys are dropped', () => {
    const boot = bootState(readGatewayEnv({ ...base, ANON_KEY: '' }), K39, new Set(['auth']));
    expect([...(boot.credentials ?? [])]).toEqual([['service-key-value', 'service_role']]);
    expect(boot.problems).toEqual([]);
  });

  test('opaque keys are credentials in 3.9.1 only', () => {
    const env = readGatewayEnv({
      ...base,
      SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_x',
      SUPABASE_SECRET_KEY: 'sb_secret_y',
    });
    expect(bootState(env, K39, new Set()).credentials?.get('sb_secret_y')).toBe('service_role');
    expect(bootState(env, K28, new Set()).credentials?.has('sb_secret_y')).toBe(false);
  });

  test('services that do not start: short secret, bad JWT_KEYS, bad JWT_JWKS where wired', () => {
    const boot = bootState(
      readGatewayEnv({ ...base, JWT_SECRET: 'short', JWT_KEYS: 'nope', JWT_JWKS: 'nope' }),
      K39,
      new Set(['auth', 'storage']),
    );
    expect([...boot.down].sort()).toEqual(['auth', 'rest', 'storage']);
    expect(boot.problems.map((p) => p.service).sort()).toEqual(['auth', 'rest', 'storage']);
    // JWT_JWKS wired into PostgREST replaces a short JWT_SECRET
    const wired = bootState(
      readGatewayEnv({ ...base, JWT_SECRET: 'short', JWT_JWKS: '{"keys":[]}' }),
      K39,
      new Set(['rest']),
    );
    expect(wired.down.has('rest')).toBe(false);
  });
});

describe('memorySource', () => {
  const source = memorySource({
    ...defaultGatewayData(),
    functions: [
      { name: 'hello', roles: ['anon'], volatile: false },
      { name: 'admin_only', roles: ['service_role'] },
    ],
    buckets: [
      { id: 'b', name: 'b-bucket', readableBy: ['authenticated'] },
      { id: 'a', public: true },
    ],
    users: [
      { id: '1', email: 'old@x', created_at: '2026-01-01T00:00:00Z' },
      { id: '2', email: 'new@x', created_at: '2026-06-01T00:00:00Z' },
      { id: '3', aud: 'other' },
    ],
  });

  test('the catalogue per role, and Supabase role names that exist or not', async () => {
    const anon = await source.restCatalog('public', 'anon', {});
    expect(anon.ok && anon.value.functions).toEqual([{ name: 'hello', volatility: 's' }]);
    const service = await source.restCatalog('public', 'service_role', {});
    expect(service.ok && service.value.tables.map((t) => t.name)).toEqual([
      'audit_log',
      'profiles',
    ]);
    expect(service.ok && service.value.functions).toEqual([
      { name: 'admin_only', volatility: 'v' },
    ]);
    const storage = await source.restCatalog('storage', 'service_role', {});
    expect(storage.ok && storage.value).toEqual({ tables: [], functions: [], description: null });
    expect(await source.restCatalog('public', 'postgres', {})).toEqual({
      ok: false,
      failure: { kind: 'role-denied', message: 'permission denied to set role "postgres"' },
    });
    expect(await source.buckets('nobody', {})).toEqual({
      ok: false,
      failure: { kind: 'role-missing', message: 'role "nobody" does not exist' },
    });
  });

  test('buckets through RLS: service_role sees all, others what readableBy grants', async () => {
    const all = await source.buckets('service_role', {});
    expect(all.ok && all.value.map((b) => b.name)).toEqual(['a', 'b-bucket']);
    const auth = await source.buckets('authenticated', {});
    expect(auth.ok && auth.value.map((b) => b.id)).toEqual(['b']);
  });

  test('users by audience, newest first, paginated', async () => {
    const page1 = await source.users('authenticated', 1, 1);
    expect(page1.ok && page1.value).toMatchObject({
      total: 2,
      users: [{ id: '2', email: 'new@x' }],
    });
    const page2 = await source.users('authenticated', 2, 1);
    expect(page2.ok && page2.value.users.map((u) => u.id)).toEqual(['1']);
    await source.close();
  });
});

describe('openApiDocument', () => {
  test('title and description from the schema comment; views get GET only; rpc by volatility', () => {
    const doc = openApiDocument(
      {
        tables: [
          {
            name: 't',
            kind: 'r',
            columns: [
              { name: 'id', type: 'bigint', notNull: true },
              { name: 'j', type: 'jsonb' },
              { name: 'n', type: 'character varying(20)' },
            ],
          },
          { name: 'v', kind: 'v', columns: [] },
        ],
        functions: [
          { name: 'stable_fn', volatility: 's' },
          { name: 'volatile_fn', volatility: 'v' },
        ],
        description: 'My API\n\nLong description',
      },
      '14.12',
    );
    expect(doc.info).toEqual({
      title: 'My API',
      description: 'Long description',
      version: '14.12',
    });
    const paths = doc.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths)).toEqual(['/', '/t', '/v', '/rpc/stable_fn', '/rpc/volatile_fn']);
    expect(Object.keys(paths['/t'] ?? {})).toEqual(['get', 'post', 'patch', 'delete']);
    expect(Object.keys(paths['/v'] ?? {})).toEqual(['get']);
    expect(Object.keys(paths['/rpc/stable_fn'] ?? {})).toEqual(['get', 'post']);
    expect(Object.keys(paths['/rpc/volatile_fn'] ?? {})).toEqual(['post']);
    expect((doc.definitions as Record<string, unknown>).t).toEqual({
      required: ['id'],
      properties: {
        id: { format: 'bigint', type: 'integer' },
        j: { format: 'jsonb' },
        n: { format: 'character varying', type: 'string' },
      },
      type: 'object',
    });
    const bare = openApiDocument({ tables: [], functions: [], description: null }, '14.12');
    expect(bare.info).toEqual({
      title: 'PostgREST API',
      description: 'This is a dynamic API generated by PostgREST',
      version: '14.12',
    });
  });
});

describe('jwt parts and errors', () => {
  test('strict unpadded base64url and the JWK algorithm', () => {
    expect(decodeRawBase64Url('e30')).toMatchObject({ ok: true });
    expect(decodeRawBase64Url('e30=')).toEqual({ ok: false, at: 3 });
    expect(algOfJwk({ kty: 'RSA' })).toBe('RS256');
    expect(algOfJwk({ kty: 'EC', crv: 'P-384' })).toBe('ES384');
    expect(algOfJwk({ kty: 'OKP' })).toBe('EdDSA');
    expect(algOfJwk({ kty: 'oct' })).toBe('HS256');
    expect(algOfJwk({ kty: 'weird' })).toBe(undefined);
  });

  test('typed errors are recognised across copies and say how to fix', () => {
    const zodError = z.object({ a: z.string() }).safeParse({}).error as z.ZodError;
    const options = new GatewayOptionsError('fn', zodError);
    const errors = [
      options,
      new GatewayEnvError(3, 'bad'),
      new GatewayListenError('127.0.0.1', 1, new Error('EADDRINUSE')),
      new GatewayStoppedError('reconfigure'),
    ];
    for (const e of errors) {
      expect(SupabaseGatewayError.isInstance(e)).toBe(true);
      expect(e.message).toContain('Fix:');
    }
    expect(GatewayOptionsError.isInstance(options)).toBe(true);
    expect(GatewayOptionsError.isInstance(errors[1])).toBe(false);
    expect(GatewayEnvError.isInstance(errors[1])).toBe(true);
    expect(GatewayListenError.isInstance(errors[2])).toBe(true);
    expect(GatewayStoppedError.isInstance(errors[3])).toBe(true);
    expect(SupabaseGatewayError.isInstance({})).toBe(false);
    expect(options.issues).toEqual([{ path: 'a', message: expect.any(String) }]);
    expect(redact('short')).toBe('***');
    expect(redact('eyJhbGciOiJIUzI1NiJ9.payload.sig')).toBe('eyJh….sig');
  });
});
