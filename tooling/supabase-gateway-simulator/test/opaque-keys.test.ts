import { randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { startSupabaseGateway } from '../src/index.js';
import { call, claims, goodKeys, now, pathsOf, SECRET } from './fixtures.js';

// The self-host opt-in of supabase/supabase docker/utils/add-new-auth-keys.sh: sb_publishable_/
// sb_secret_ keys that kong-entrypoint.sh translates into pre-signed ES256 JWTs.

interface Opaque {
  publishable: string;
  secret: string;
  env: Record<string, string>;
}

async function opaqueEnv(): Promise<Opaque> {
  const base = await goodKeys();
  const pair = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const priv = await exportJWK(pair.privateKey);
  const pub = await exportJWK(pair.publicKey);
  const oct = { kty: 'oct', k: Buffer.from(SECRET).toString('base64url'), alg: 'HS256' };
  const es = (role: string) =>
    new SignJWT(claims(role))
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid })
      .sign(pair.privateKey);
  const publishable = `sb_publishable_${randomBytes(17).toString('base64url').slice(0, 22)}_abcdefgh`;
  const secret = `sb_secret_${randomBytes(17).toString('base64url').slice(0, 22)}_abcdefgh`;
  return {
    publishable,
    secret,
    env: {
      ...base.env,
      SUPABASE_PUBLISHABLE_KEY: publishable,
      SUPABASE_SECRET_KEY: secret,
      ANON_KEY_ASYMMETRIC: await es('anon'),
      SERVICE_ROLE_KEY_ASYMMETRIC: await es('service_role'),
      JWT_KEYS: JSON.stringify([
        {
          kty: 'EC',
          kid,
          use: 'sig',
          key_ops: ['sign', 'verify'],
          alg: 'ES256',
          ext: true,
          ...priv,
        },
        oct,
      ]),
      JWT_JWKS: JSON.stringify({
        keys: [
          { kty: 'EC', kid, use: 'sig', key_ops: ['verify'], alg: 'ES256', ext: true, ...pub },
          oct,
        ],
      }),
    },
  };
}

const key = (apikey: string) => ({ headers: { apikey } });

describe('opaque keys', () => {
  let o: Opaque;
  beforeAll(async () => {
    o = await opaqueEnv();
  });

  test("Dokploy's compose: GoTrue has JWT_KEYS, PostgREST and Storage only JWT_SECRET", async () => {
    const gw = await startSupabaseGateway({ env: o.env, now });
    try {
      expect((await call(gw.url, '/auth/v1/admin/users', key(o.secret))).status).toBe(200);
      expect((await call(gw.url, '/auth/v1/admin/users', key(o.publishable))).json).toMatchObject({
        error_code: 'not_admin',
      });
      const rest = await call(gw.url, '/rest/v1/', key(o.secret));
      expect(rest.status).toBe(401);
      expect(rest.json).toMatchObject({
        code: 'PGRST301',
        message: 'No suitable key or wrong key type',
      });
      const storage = await call(gw.url, '/storage/v1/bucket', key(o.secret));
      expect(storage.status).toBe(400);
      expect(storage.json).toMatchObject({
        message: '"alg" (Algorithm) Header Parameter value not allowed',
      });
    } finally {
      await gw.stop();
    }
  });

  test('the upstream compose wires JWT_JWKS into PostgREST and Storage too', async () => {
    const gw = await startSupabaseGateway({
      env: o.env,
      now,
      jwksServices: ['auth', 'rest', 'storage'],
    });
    try {
      expect(pathsOf((await call(gw.url, '/rest/v1/', key(o.secret))).json)).toEqual([
        '/',
        '/audit_log',
        '/profiles',
      ]);
      expect(pathsOf((await call(gw.url, '/rest/v1/', key(o.publishable))).json)).toEqual([
        '/',
        '/profiles',
      ]);
      const storage = await call(gw.url, '/storage/v1/bucket', key(o.secret));
      expect((storage.json as { id: string }[]).map((b) => b.id)).toEqual(['avatars']);
      // the legacy HS256 keys keep working beside them
      expect((await call(gw.url, '/rest/v1/', key(o.env.ANON_KEY as string))).status).toBe(200);
      expect(gw.requests.at(-2)?.apikey).toBe('service_role');
    } finally {
      await gw.stop();
    }
  });

  test('with only one of the two opaque keys set, Kong does not translate: the raw sb_ key fails', async () => {
    const { SUPABASE_PUBLISHABLE_KEY: _drop, ...env } = o.env;
    const gw = await startSupabaseGateway({ env, now, jwksServices: ['auth', 'rest', 'storage'] });
    try {
      const admin = await call(gw.url, '/auth/v1/admin/users', key(o.secret));
      expect(admin.json).toMatchObject({ error_code: 'no_authorization' });
      const rest = await call(gw.url, '/rest/v1/', {
        headers: { apikey: o.secret, authorization: `Bearer ${o.secret}` },
      });
      // "Bearer sb_…" is replaced by the raw apikey, which PostgREST does not read as a token: anon
      expect(pathsOf(rest.json)).toEqual(['/', '/profiles']);
      expect(gw.requests.at(-1)).toMatchObject({ apikey: 'service_role', role: 'anon' });
    } finally {
      await gw.stop();
    }
  });

  test('Kong 2.8.1 has no opaque credentials', async () => {
    const gw = await startSupabaseGateway({ env: o.env, now, kong: '2.8.1' });
    try {
      expect((await call(gw.url, '/auth/v1/health', key(o.secret))).json).toEqual({
        message: 'Invalid authentication credentials',
      });
    } finally {
      await gw.stop();
    }
  });
});
