import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type SupabaseGateway, startSupabaseGateway } from '../src/index.js';
import { call, claims, goodKeys, type KeySet, now, pathsOf, sign, withKey } from './fixtures.js';

// GoTrue and PostgREST details behind Kong, on the in-memory data.

describe('GoTrue', () => {
  let gw: SupabaseGateway;
  let keys: KeySet;
  beforeAll(async () => {
    keys = await goodKeys({
      DISABLE_SIGNUP: 'true',
      ENABLE_ANONYMOUS_USERS: 'TRUE',
      ENABLE_EMAIL_AUTOCONFIRM: '1',
      ENABLE_PHONE_SIGNUP: 'no',
    });
    gw = await startSupabaseGateway({
      env: keys.env,
      now,
      versions: { gotrue: 'v2.177.0' },
      data: {
        users: [
          { id: 'u1', email: 'a@example.com', created_at: '2026-01-01T00:00:00Z' },
          { id: 'u2', email: 'b@example.com', created_at: '2026-02-01T00:00:00Z' },
          { id: 'u3', email: 'c@example.com', created_at: '2026-03-01T00:00:00Z' },
          { id: 'u4', email: 'x@example.com', aud: 'partners' },
        ],
      },
    });
  });
  afterAll(() => gw.stop());

  test('health names the configured version; settings follow the compose env', async () => {
    expect((await call(gw.url, '/auth/v1/health', withKey(keys.anon))).json).toMatchObject({
      version: 'v2.177.0',
    });
    const settings = await call(gw.url, '/auth/v1/settings', withKey(keys.anon));
    expect(settings.headers.get('content-type')).toBe('application/json');
    expect(settings.json).toMatchObject({
      external: { anonymous_users: true, email: true, phone: false, google: false },
      disable_signup: true,
      mailer_autoconfirm: true,
      phone_autoconfirm: true,
      sms_provider: '',
      saml_enabled: false,
    });
  });

  test('admin users: newest first, X-Total-Count and Link, the audience header', async () => {
    const page = await call(gw.url, '/auth/v1/admin/users?per_page=2', withKey(keys.service));
    expect(page.status).toBe(200);
    const body = page.json as { users: { id: string }[]; aud: string };
    expect(body.users.map((u) => u.id)).toEqual(['u3', 'u2']);
    expect(page.headers.get('x-total-count')).toBe('3');
    expect(page.headers.get('link')).toBe(
      '</admin/users?page=2&per_page=2>; rel="next", </admin/users?page=2&per_page=2>; rel="last"',
    );
    const last = await call(
      gw.url,
      '/auth/v1/admin/users/?page=2&per_page=2',
      withKey(keys.service),
    );
    expect((last.json as typeof body).users.map((u) => u.id)).toEqual(['u1']);
    expect(last.headers.get('link')).toBe('</admin/users/?page=2&per_page=2>; rel="last"');
    const partners = await call(gw.url, '/auth/v1/admin/users', {
      headers: { ...withKey(keys.service).headers, 'x-jwt-aud': 'partners' } as Record<
        string,
        string
      >,
    });
    expect(partners.json).toMatchObject({ aud: 'partners', users: [{ id: 'u4' }] });
  });

  test('bad pagination is a 400 validation_failed', async () => {
    const res = await call(gw.url, '/auth/v1/admin/users?page=-1', withKey(keys.service));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      error_code: 'validation_failed',
      msg: expect.stringContaining('"-1"'),
    });
  });

  test('the 2024-01-01 API version changes the error body and is echoed', async () => {
    const res = await call(gw.url, '/auth/v1/admin/users', {
      headers: { ...withKey(keys.anon).headers, 'X-Supabase-Api-Version': '2024-01-01' } as Record<
        string,
        string
      >,
    });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ code: 'not_admin', message: 'User not allowed' });
    expect(res.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    const old = await call(gw.url, '/auth/v1/admin/users', {
      headers: { ...withKey(keys.anon).headers, 'X-Supabase-Api-Version': 'yesterday' } as Record<
        string,
        string
      >,
    });
    expect(old.json).toEqual({ code: 403, error_code: 'not_admin', msg: 'User not allowed' });
  });

  test('a bad JWT in Authorization is checked even with a good apikey', async () => {
    const res = await call(gw.url, '/auth/v1/admin/users', withKey(keys.service, 'not.a.jwt'));
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ error_code: 'bad_jwt' });
    expect(gw.requests.at(-1)).toMatchObject({
      apikey: 'service_role',
      authorization: 'bearer',
      role: null,
    });
  });

  test('an authenticated user token is not an admin', async () => {
    const user = await sign(claims('authenticated', { sub: 'u1' }));
    const res = await call(gw.url, '/auth/v1/admin/users', withKey(keys.anon, user));
    expect(res.json).toMatchObject({ error_code: 'not_admin' });
    expect(gw.requests.at(-1)?.role).toBe('authenticated');
  });

  test('methods and paths the simulator does not model', async () => {
    const post = await call(gw.url, '/auth/v1/health', { ...withKey(keys.anon), method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.text).toBe('');
    const create = await call(gw.url, '/auth/v1/admin/users', {
      ...withKey(keys.service),
      method: 'POST',
      body: '{}',
    });
    expect(create.status).toBe(404);
    expect((await call(gw.url, '/auth/v1/signup', withKey(keys.anon))).status).toBe(404);
  });
});

describe('PostgREST', () => {
  let gw: SupabaseGateway;
  let keys: KeySet;
  beforeAll(async () => {
    keys = await goodKeys({ PGRST_DB_SCHEMAS: 'public, api' });
    gw = await startSupabaseGateway({
      env: keys.env,
      now,
      data: {
        tables: [
          { name: 'profiles', roles: ['anon', 'service_role'] },
          { schema: 'api', name: 'orders', roles: ['authenticated', 'service_role'], kind: 'view' },
        ],
        functions: [{ schema: 'api', name: 'ping', roles: ['authenticated'] }],
        schemaDescriptions: { public: 'standard public schema', api: 'Shop API\nOrders and more' },
      },
    });
  });
  afterAll(() => gw.stop());

  test('the OpenAPI root: content type, version, title from the schema comment', async () => {
    const res = await call(gw.url, '/rest/v1/', withKey(keys.anon));
    expect(res.headers.get('content-type')).toBe('application/openapi+json; charset=utf-8');
    expect(res.json).toMatchObject({
      swagger: '2.0',
      info: { title: 'standard public schema', version: '14.12' },
    });
  });

  test('Accept-Profile picks another exposed schema; others are refused with PGRST106', async () => {
    const user = await sign(claims('authenticated', { sub: 'u1' }));
    const api = await call(gw.url, '/rest/v1/', {
      headers: { ...withKey(keys.anon, user).headers, 'accept-profile': 'api' } as Record<
        string,
        string
      >,
    });
    expect(pathsOf(api.json)).toEqual(['/', '/orders', '/rpc/ping']);
    expect(api.json).toMatchObject({ info: { title: 'Shop API', description: 'Orders and more' } });
    const anonApi = await call(gw.url, '/rest/v1/', {
      headers: { ...withKey(keys.anon).headers, 'accept-profile': 'api' } as Record<string, string>,
    });
    expect(pathsOf(anonApi.json)).toEqual(['/']);
    const refused = await call(gw.url, '/rest/v1/', {
      headers: { ...withKey(keys.anon).headers, 'accept-profile': 'auth' } as Record<
        string,
        string
      >,
    });
    expect(refused.status).toBe(406);
    expect(refused.json).toEqual({
      code: 'PGRST106',
      details: null,
      hint: 'Only the following schemas are exposed: public, api',
      message: 'Invalid schema: auth',
    });
    expect(refused.headers.get('proxy-status')).toBe('PostgREST; error=PGRST106');
  });

  test('roles that do not exist, or that authenticator may not switch to', async () => {
    const ghost = await sign(claims('ghost'));
    const missing = await call(gw.url, '/rest/v1/', withKey(keys.anon, ghost));
    expect(missing.status).toBe(401);
    expect(missing.json).toEqual({
      code: '22023',
      details: null,
      hint: null,
      message: 'role "ghost" does not exist',
    });
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    const postgres = await sign(claims('postgres'));
    const denied = await call(gw.url, '/rest/v1/', withKey(keys.anon, postgres));
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({
      code: '42501',
      message: 'permission denied to set role "postgres"',
    });
  });

  test('JWT errors come with WWW-Authenticate and Proxy-Status', async () => {
    const res = await call(gw.url, '/rest/v1/', withKey(keys.anon, 'a.b'));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="Expected 3 parts in JWT; got 2"',
    );
    expect(res.headers.get('proxy-status')).toBe('PostgREST; error=PGRST301');
  });

  test('other paths and methods are not modelled', async () => {
    expect((await call(gw.url, '/rest/v1/profiles', withKey(keys.anon))).status).toBe(404);
    expect(
      (await call(gw.url, '/rest/v1/', { ...withKey(keys.anon), method: 'POST' })).status,
    ).toBe(404);
  });
});

describe('Storage', () => {
  let gw: SupabaseGateway;
  let keys: KeySet;
  beforeAll(async () => {
    keys = await goodKeys();
    gw = await startSupabaseGateway({
      env: keys.env,
      now,
      data: {
        buckets: [
          { id: 'public-files', public: true, readableBy: ['anon', 'authenticated'] },
          { id: 'private' },
        ],
      },
    });
  });
  afterAll(() => gw.stop());

  test('RLS: anon sees what a policy grants it, service_role sees everything', async () => {
    const anon = await call(gw.url, '/storage/v1/bucket', withKey(keys.anon));
    expect((anon.json as { id: string }[]).map((b) => b.id)).toEqual(['public-files']);
    expect(anon.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const service = await call(gw.url, '/storage/v1/bucket/', withKey(keys.service));
    expect((service.json as { id: string }[]).map((b) => b.id)).toEqual([
      'private',
      'public-files',
    ]);
  });

  test('role errors as Storage maps the database error', async () => {
    const denied = await call(
      gw.url,
      '/storage/v1/bucket',
      withKey(keys.anon, await sign(claims('postgres'))),
    );
    expect(denied.status).toBe(400);
    expect(denied.json).toEqual({
      statusCode: '403',
      code: 'AccessDenied',
      error: 'Unauthorized',
      message: 'permission denied to set role "postgres"',
    });
    const missing = await call(
      gw.url,
      '/storage/v1/bucket',
      withKey(keys.anon, await sign(claims('ghost'))),
    );
    expect(missing.status).toBe(500);
    expect(missing.json).toMatchObject({
      code: 'DatabaseError',
      message: 'database error, code: 22023',
    });
  });

  test('other paths are not modelled', async () => {
    expect((await call(gw.url, '/storage/v1/object/x', withKey(keys.anon))).status).toBe(404);
  });
});
