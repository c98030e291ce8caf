import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type SupabaseGateway, startSupabaseGateway } from '../src/index.js';
import { call, goodKeys, type KeySet, now, pathsOf, withKey } from './fixtures.js';

// Kong's side: key-auth, ACL, basic-auth, request-termination, the Authorization rewrite of
// kong-entrypoint.sh, and the 2.8.1 profile.

function rawGet(url: string, headers: Record<string, string | string[]>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const basic = (user: string, pass: string) =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('Kong 3.9.1', () => {
  let gw: SupabaseGateway;
  let keys: KeySet;
  beforeAll(async () => {
    keys = await goodKeys();
    gw = await startSupabaseGateway({ env: keys.env, now });
  });
  afterAll(() => gw.stop());

  test('error bodies carry request_id and the challenge header; proxied answers carry Via', async () => {
    const none = await call(gw.url, '/rest/v1/');
    expect(none.text).toMatch(
      /^\{\n {2}"message":"No API key found in request",\n {2}"request_id":"[0-9a-f]{32}"\n\}$/,
    );
    expect(none.headers.get('www-authenticate')).toBe('Key');
    expect(none.headers.get('x-kong-request-id')).toMatch(/^[0-9a-f]{32}$/);
    const wrong = await call(gw.url, '/rest/v1/', { headers: { apikey: 'nope' } });
    expect(wrong.headers.get('www-authenticate')).toBe('Key');
    const good = await call(gw.url, '/auth/v1/health', withKey(keys.anon));
    expect(good.headers.get('via')).toBe('1.1 kong/3.9.1');
  });

  test('the apikey may come in the query string; an empty one is no key', async () => {
    const res = await call(gw.url, `/auth/v1/health?apikey=${encodeURIComponent(keys.anon)}`);
    expect(res.status).toBe(200);
    expect((await call(gw.url, '/auth/v1/health', { headers: { apikey: '' } })).json).toMatchObject(
      {
        message: 'No API key found in request',
      },
    );
    // the log keeps the path only: the key in the query string is not recorded
    expect(JSON.stringify(gw.requests)).not.toContain(keys.anon);
  });

  test('two apikey headers, or two in the query: Duplicate API key found', async () => {
    const res = await rawGet(`${gw.url}/auth/v1/health`, { apikey: [keys.anon, keys.service] });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toMatchObject({ message: 'Duplicate API key found' });
    const q = await call(gw.url, `/auth/v1/health?apikey=a&apikey=b`);
    expect(q.json).toMatchObject({ message: 'Duplicate API key found' });
    expect(gw.requests.at(-1)).toMatchObject({ apikey: 'duplicate', status: 401 });
  });

  test('pg-meta is for the admin group only', async () => {
    const anon = await call(gw.url, '/pg/tables', withKey(keys.anon));
    expect(anon.status).toBe(403);
    expect(anon.json).toMatchObject({ message: 'You cannot consume this service' });
    const service = await call(gw.url, '/pg/tables', withKey(keys.service));
    expect(service.status).toBe(404);
    expect(service.headers.get('x-supabase-gateway-simulator')).toBe('not-simulated');
  });

  test('MCP is blocked by request-termination, before any key check', async () => {
    for (const path of ['/mcp', '/api/mcp']) {
      const res = await call(gw.url, path);
      expect(res.status).toBe(403);
      expect(res.text).toBe('{"message":"Access is forbidden."}');
    }
  });

  test('the Studio catch-all wants the dashboard basic-auth', async () => {
    const none = await call(gw.url, '/project/default');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="service"');
    const wrong = await call(gw.url, '/project/default', {
      headers: { authorization: basic('supabase', 'wrong') },
    });
    expect(wrong.json).toMatchObject({ message: 'Unauthorized' });
    const notBasic = await call(gw.url, '/', { headers: { authorization: 'Bearer x' } });
    expect(notBasic.status).toBe(401);
    const right = await call(gw.url, '/project/default', {
      headers: { authorization: basic('supabase', 'dashboard-password-for-tests') },
    });
    expect(right.status).toBe(404);
    expect(right.headers.get('x-supabase-gateway-simulator')).toBe('not-simulated');
    const proxy = await call(gw.url, '/', {
      headers: { 'proxy-authorization': basic('supabase', 'dashboard-password-for-tests') },
    });
    expect(proxy.status).toBe(404);
  });

  test('open auth routes need no key; realtime and graphql need one', async () => {
    expect((await call(gw.url, '/auth/v1/verify?token=x')).status).toBe(404);
    expect((await call(gw.url, '/auth/v1/.well-known/jwks.json')).status).toBe(404);
    expect((await call(gw.url, '/realtime/v1/api/ping')).status).toBe(401);
    expect((await call(gw.url, '/graphql/v1')).status).toBe(401);
    expect((await call(gw.url, '/graphql/v1', withKey(keys.anon))).status).toBe(404);
    expect((await call(gw.url, '/realtime/v1/api/tenants/x', withKey(keys.anon))).status).toBe(403);
    expect((await call(gw.url, '/functions/v1/hello')).status).toBe(404);
  });

  test('apikey only: Kong copies it into Authorization without "Bearer "', async () => {
    // PostgREST finds no Bearer token and runs as anon, whatever the key
    const rest = await call(gw.url, '/rest/v1/', { headers: { apikey: keys.service } });
    expect(pathsOf(rest.json)).toEqual(['/', '/profiles']);
    expect(gw.requests.at(-1)).toMatchObject({
      apikey: 'service_role',
      authorization: 'absent',
      role: 'anon',
    });
    // GoTrue's admin endpoints want a Bearer token
    const admin = await call(gw.url, '/auth/v1/admin/users', { headers: { apikey: keys.service } });
    expect(admin.status).toBe(401);
    expect(admin.json).toEqual({
      code: 401,
      error_code: 'no_authorization',
      msg: 'This endpoint requires a valid Bearer token',
    });
    expect(admin.headers.get('x-sb-error-code')).toBe('no_authorization');
    // Storage strips "Bearer " if present, so the raw key works there
    const storage = await call(gw.url, '/storage/v1/bucket', { headers: { apikey: keys.service } });
    expect(storage.status).toBe(200);
  });

  test('a Bearer sb_ token is replaced by the apikey; other Authorization values pass through', async () => {
    const res = await call(gw.url, '/rest/v1/', {
      headers: { apikey: keys.service, authorization: 'Bearer sb_publishable_whatever' },
    });
    expect(pathsOf(res.json)).toEqual(['/', '/profiles']);
    const anonBearer = await call(gw.url, '/rest/v1/', withKey(keys.service, keys.anon));
    expect(pathsOf(anonBearer.json)).toEqual(['/', '/profiles']);
    const serviceBearer = await call(gw.url, '/rest/v1/', withKey(keys.anon, keys.service));
    expect(pathsOf(serviceBearer.json)).toEqual(['/', '/audit_log', '/profiles']);
  });

  test('query-string key and no Authorization: the upstream gets an empty Authorization', async () => {
    const admin = await call(
      gw.url,
      `/auth/v1/admin/users?apikey=${encodeURIComponent(keys.service)}`,
    );
    expect(admin.status).toBe(401);
    const storage = await call(gw.url, '/storage/v1/bucket');
    expect(storage.json).toMatchObject({ message: 'Invalid Compact JWS' });
  });
});

describe('Kong 2.8.1 with the older kong.yml', () => {
  let gw: SupabaseGateway;
  let keys: KeySet;
  beforeAll(async () => {
    keys = await goodKeys();
    gw = await startSupabaseGateway({ env: keys.env, now, kong: '2.8.1' });
  });
  afterAll(() => gw.stop());

  test('messages, challenges and bodies of 2.8.1', async () => {
    expect(gw.kong).toBe('2.8.1');
    const none = await call(gw.url, '/rest/v1/');
    expect(none.text).toBe('{\n  "message":"No API key found in request"\n}');
    expect(none.headers.get('www-authenticate')).toBe('Key realm="kong"');
    const wrong = await call(gw.url, '/rest/v1/', { headers: { apikey: 'nope' } });
    expect(wrong.json).toEqual({ message: 'Invalid authentication credentials' });
    expect(wrong.headers.get('www-authenticate')).toBe(null);
    const dup = await rawGet(`${gw.url}/rest/v1/`, { apikey: ['a', 'b'] });
    expect(JSON.parse(dup.body)).toEqual({ message: 'Duplicate API key found' });
    const studio = await call(gw.url, '/');
    expect(studio.headers.get('www-authenticate')).toBe('Basic realm="kong"');
    const badBasic = await call(gw.url, '/', { headers: { authorization: basic('x', 'y') } });
    expect(badBasic.json).toEqual({ message: 'Invalid authentication credentials' });
    expect(badBasic.headers.get('www-authenticate')).toBe(null);
    const ok = await call(gw.url, '/auth/v1/health', withKey(keys.anon));
    expect(ok.headers.get('via')).toBe('kong/2.8.1');
  });

  test('no Authorization rewrite: Storage without a Bearer token fails', async () => {
    const storage = await call(gw.url, '/storage/v1/bucket', { headers: { apikey: keys.service } });
    expect(storage.status).toBe(400);
    expect(storage.json).toMatchObject({ message: 'Invalid Compact JWS' });
    const withBearer = await call(gw.url, '/storage/v1/bucket', withKey(keys.service));
    expect(withBearer.status).toBe(200);
  });

  test('no /mcp route: it falls to the Studio catch-all', async () => {
    expect((await call(gw.url, '/mcp')).status).toBe(401);
  });
});
