import { parseConnectionTarget } from '@supaops/pg-connect';
import { describe, expect, it } from 'vitest';
import { DatabaseUnresolvedError } from './clone-errors.js';
import { resolveDatabase, sessionPoolerUrl } from './database-ref.js';

const env = {
  SUPABASE_HOST: 'supabase.acme.dev',
  POOLER_TENANT_ID: '3f2c9a1e-1111-4aaa-8bbb-000000000001',
  POSTGRES_PASSWORD: 'pw/with:chars',
  POSTGRES_DB: 'postgres',
};
const instance = { composeId: 'c1', appName: 'shop-supabase-abc123', env };

describe('database references', () => {
  it('default to the instance’s Supavisor session string, user postgres.<tenant>', async () => {
    const url = sessionPoolerUrl(env, 'clone');
    expect(url).toBe(
      'postgresql://postgres.3f2c9a1e-1111-4aaa-8bbb-000000000001:pw%2Fwith%3Achars@supabase.acme.dev:5432/postgres',
    );
    expect(await resolveDatabase(undefined, instance, 'clone')).toBe(url);
    // the host from the public URL when SUPABASE_HOST is missing
    const { SUPABASE_HOST: _h, ...rest } = env;
    expect(
      sessionPoolerUrl({ ...rest, SUPABASE_PUBLIC_URL: 'https://db.acme.dev' }, 'clone'),
    ).toContain('@db.acme.dev:5432/');
  });

  it('name what is missing instead of guessing', async () => {
    expect(() => sessionPoolerUrl({ SUPABASE_PUBLIC_URL: 'not a url' }, 'source')).toThrow(
      /lacks SUPABASE_HOST, POOLER_TENANT_ID, POSTGRES_PASSWORD/,
    );
    await expect(resolveDatabase(undefined, undefined, 'target')).rejects.toSatisfy(
      (e: unknown) => DatabaseUnresolvedError.isInstance(e) && /none was given/.test(String(e)),
    );
    await expect(resolveDatabase(() => 'x', undefined, 'target')).rejects.toThrow(/no instance/);
    await expect(
      resolveDatabase(
        () => {
          throw new Error('boom');
        },
        instance,
        'target',
      ),
    ).rejects.toThrow(/function threw/);
    await expect(resolveDatabase((() => 42) as never, instance, 'target')).rejects.toThrow(
      /neither a URL nor a target/,
    );
  });

  it('take URLs, pg-connect targets and (async) functions of the instance', async () => {
    expect(await resolveDatabase('postgres://a@h/db', instance, 'x')).toBe('postgres://a@h/db');
    const target = parseConnectionTarget('postgresql://postgres:secret@127.0.0.1:6000/app');
    expect(await resolveDatabase(target, undefined, 'x')).toMatch(
      /^postgresql:\/\/postgres:secret@127\.0\.0\.1:6000\/app/,
    );
    expect(await resolveDatabase(async (i) => `postgres://u@${i.appName}/db`, instance, 'x')).toBe(
      'postgres://u@shop-supabase-abc123/db',
    );
  });
});
