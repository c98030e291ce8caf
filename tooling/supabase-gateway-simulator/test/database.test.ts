import { useTestDatabase } from '@supaops/testkit/vitest';
import pg from 'pg';
import { beforeAll, describe, expect, test } from 'vitest';
import { startSupabaseGateway } from '../src/index.js';
import { call, claims, goodKeys, type KeySet, now, pathsOf, sign, withKey } from './fixtures.js';

// With `database`, what PostgREST lists, what Storage returns and what GoTrue's admin API
// lists come from a real PostgreSQL: its grants, its RLS policies, its rows.

const db = useTestDatabase('gateway');

const SETUP = `
  CREATE TABLE public.notes (id bigint PRIMARY KEY, body text NOT NULL);
  GRANT SELECT ON public.notes TO anon, authenticated, service_role;
  CREATE TABLE public.secrets (id bigint PRIMARY KEY, value text);
  REVOKE ALL ON public.secrets FROM anon, authenticated;
  GRANT ALL ON public.secrets TO service_role;
  CREATE VIEW public.note_ids AS SELECT id FROM public.notes;
  GRANT SELECT ON public.note_ids TO anon, service_role;
  CREATE FUNCTION public.admin_stats() RETURNS bigint LANGUAGE sql STABLE AS 'SELECT count(*) FROM public.secrets';
  REVOKE EXECUTE ON FUNCTION public.admin_stats() FROM PUBLIC, anon, authenticated;
  GRANT EXECUTE ON FUNCTION public.admin_stats() TO service_role;
  COMMENT ON SCHEMA public IS 'standard public schema';
  -- storage-api migration 0007-add-rls-to-buckets.sql, then one policy for public buckets
  ALTER TABLE storage.buckets ENABLE ROW LEVEL SECURITY;
  CREATE POLICY "public buckets" ON storage.buckets FOR SELECT TO anon USING (public);
  INSERT INTO storage.buckets (id, name, public) VALUES
    ('private-docs', 'private-docs', false), ('public-images', 'public-images', true);
  INSERT INTO auth.users (id, aud, role, email, raw_app_meta_data, created_at, updated_at) VALUES
    ('00000000-0000-4000-8000-000000000001', 'authenticated', 'authenticated', 'ada@example.com',
     '{"provider":"email"}', '2026-05-01T00:00:00Z', '2026-05-01T00:00:00Z'),
    ('00000000-0000-4000-8000-000000000002', 'authenticated', 'authenticated', 'bob@example.com',
     NULL, '2026-06-01T00:00:00Z', '2026-06-01T00:00:00Z');
`;

describe('database mode', () => {
  let keys: KeySet;
  beforeAll(async () => {
    keys = await goodKeys();
    const client = new pg.Client({ connectionString: db.current.adminUrl });
    await client.connect();
    try {
      await client.query(SETUP);
    } finally {
      await client.end();
    }
  });

  test('the OpenAPI root lists what each role may use: the privileges must differ', async () => {
    const gw = await startSupabaseGateway({
      env: keys.env,
      now,
      database: { url: db.current.adminUrl },
    });
    try {
      const anon = await call(gw.url, '/rest/v1/', withKey(keys.anon));
      expect(pathsOf(anon.json)).toEqual(['/', '/note_ids', '/notes']);
      const service = await call(gw.url, '/rest/v1/', withKey(keys.service));
      expect(pathsOf(service.json)).toEqual([
        '/',
        '/note_ids',
        '/notes',
        '/rpc/admin_stats',
        '/secrets',
      ]);
      expect(service.json).toMatchObject({
        info: { title: 'standard public schema' },
        definitions: {
          notes: {
            required: ['id', 'body'],
            properties: {
              id: { format: 'bigint', type: 'integer' },
              body: { format: 'text', type: 'string' },
            },
          },
        },
        paths: { '/note_ids': { get: {} }, '/rpc/admin_stats': { get: {}, post: {} } },
      });
      expect(
        Object.keys((service.json as { paths: Record<string, object> }).paths['/note_ids'] ?? {}),
      ).toEqual(['get']);
    } finally {
      await gw.stop();
    }
  });

  test('buckets through the real RLS: anon gets what the policy allows, service_role bypasses it', async () => {
    const gw = await startSupabaseGateway({
      env: keys.env,
      now,
      database: { url: db.current.adminUrl },
    });
    try {
      const anon = await call(gw.url, '/storage/v1/bucket', withKey(keys.anon));
      expect((anon.json as { id: string }[]).map((b) => b.id)).toEqual(['public-images']);
      const service = await call(gw.url, '/storage/v1/bucket', withKey(keys.service));
      expect(service.json).toMatchObject([
        { id: 'private-docs', public: false, type: 'STANDARD' },
        { id: 'public-images', public: true },
      ]);
      const authenticated = await call(
        gw.url,
        '/storage/v1/bucket',
        withKey(keys.anon, await sign(claims('authenticated'))),
      );
      expect(authenticated.json).toEqual([]);
    } finally {
      await gw.stop();
    }
  });

  test('admin users are the rows of auth.users', async () => {
    const gw = await startSupabaseGateway({
      env: keys.env,
      now,
      database: { url: db.current.adminUrl },
    });
    try {
      const res = await call(gw.url, '/auth/v1/admin/users', withKey(keys.service));
      expect(res.headers.get('x-total-count')).toBe('2');
      expect(res.json).toMatchObject({
        aud: 'authenticated',
        users: [
          { email: 'bob@example.com', app_metadata: {}, identities: [] },
          {
            email: 'ada@example.com',
            app_metadata: { provider: 'email' },
            created_at: '2026-05-01T00:00:00.000Z',
          },
        ],
      });
    } finally {
      await gw.stop();
    }
  });

  test("PostgREST's own user: roles it may not switch to, and a schema it cannot read", async () => {
    const gw = await startSupabaseGateway({
      env: keys.env,
      now,
      database: { url: db.current.url('authenticator') },
    });
    try {
      expect(pathsOf((await call(gw.url, '/rest/v1/', withKey(keys.service))).json)).toContain(
        '/secrets',
      );
      const postgres = await call(
        gw.url,
        '/rest/v1/',
        withKey(keys.anon, await sign(claims('postgres'))),
      );
      expect(postgres.status).toBe(403);
      expect(postgres.json).toMatchObject({
        code: '42501',
        message: 'permission denied to set role "postgres"',
      });
      const ghost = await call(
        gw.url,
        '/rest/v1/',
        withKey(keys.anon, await sign(claims('ghost'))),
      );
      expect(ghost.status).toBe(401);
      expect(ghost.json).toMatchObject({ code: '22023', message: 'role "ghost" does not exist' });
      // authenticator has no access to the auth schema: GoTrue's query fails
      const users = await call(gw.url, '/auth/v1/admin/users', withKey(keys.service));
      expect(users.status).toBe(500);
      expect(users.json).toMatchObject({
        error_code: 'unexpected_failure',
        msg: 'Database error finding users',
      });
    } finally {
      await gw.stop();
    }
  });

  test('an unreachable database: PostgREST has no schema cache, Storage and GoTrue fail with 500', async () => {
    const gw = await startSupabaseGateway({
      env: keys.env,
      now,
      database: { url: 'postgres://nobody:nothing@127.0.0.1:1/none' },
    });
    try {
      const rest = await call(gw.url, '/rest/v1/', withKey(keys.anon));
      expect(rest.status).toBe(503);
      expect(rest.json).toEqual({
        code: 'PGRST002',
        details: null,
        hint: null,
        message: 'Could not query the database for the schema cache. Retrying.',
      });
      const storage = await call(gw.url, '/storage/v1/bucket', withKey(keys.anon));
      expect(storage.status).toBe(500);
      expect(storage.json).toMatchObject({
        code: 'InternalError',
        message: 'Internal Server Error',
      });
      expect((await call(gw.url, '/auth/v1/admin/users', withKey(keys.service))).status).toBe(500);
      // GoTrue's health does not touch the database
      expect((await call(gw.url, '/auth/v1/health', withKey(keys.anon))).status).toBe(200);
    } finally {
      await gw.stop();
    }
  });
});
