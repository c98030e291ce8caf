import { type SupabaseGateway, startSupabaseGateway } from '@supaops/supabase-gateway-simulator';
import { generateLegacyApiKeys, generateSecrets } from '@supaops/supabase-jwt';
import { afterEach, describe, expect, it } from 'vitest';
import {
  formatDeploymentReport,
  SelfhostValidationError,
  validateDeployment,
} from '../src/index.js';
import { healthyEnv } from './helpers.js';

let gw: SupabaseGateway | undefined;
afterEach(async () => {
  await gw?.stop();
  gw = undefined;
});

const names = (r: Awaited<ReturnType<typeof validateDeployment>>) =>
  r.checks.filter((c) => !c.ok).map((c) => c.name);

/** HS256 keys signed with `secret` but with no role claim (Dokploy bug A, yet distinct). */
async function rolelessKeys(secret: string) {
  const { signHs256 } = await import('@supaops/dokploy-simulator');
  const now = Math.floor(Date.now() / 1000);
  return {
    ANON_KEY: signHs256({ iss: 'dokploy', iat: now, exp: now + 3600, n: 1 }, secret),
    SERVICE_ROLE_KEY: signHs256({ iss: 'dokploy', iat: now, exp: now + 3600, n: 2 }, secret),
  };
}

describe('validateDeployment against the gateway simulator', () => {
  it('a healthy env passes every HTTP check', async () => {
    const env = await healthyEnv(new Date());
    gw = await startSupabaseGateway({ env });
    const r = await validateDeployment({
      publicUrl: gw.url,
      anonKey: env.ANON_KEY as string,
      serviceKey: env.SERVICE_ROLE_KEY as string,
    });
    expect(r.ok).toBe(true);
    expect(r.checks.map((c) => c.name)).toEqual([
      'auth-health',
      'rest-anon',
      'rest-service',
      'rest-privileges-differ',
      'auth-admin',
      'storage-buckets',
    ]);
    expect(formatDeploymentReport(r)).toMatch(/^✓ auth-health/);
    // both headers went out: PostgREST ran as service_role
    expect(gw.requests.some((q) => q.role === 'service_role' && q.authorization === 'bearer')).toBe(
      true,
    );
  });

  it('distinct role-less keys: health passes, but privileges equal and GoTrue says not_admin', async () => {
    const env = await healthyEnv(new Date());
    Object.assign(env, await rolelessKeys(env.JWT_SECRET as string));
    gw = await startSupabaseGateway({ env });
    const r = await validateDeployment({
      publicUrl: gw.url,
      anonKey: env.ANON_KEY as string,
      serviceKey: env.SERVICE_ROLE_KEY as string,
    });
    expect(r.checks.find((c) => c.name === 'auth-health')?.ok).toBe(true);
    expect(names(r)).toEqual(['rest-privileges-differ', 'auth-admin']);
    expect(r.checks.find((c) => c.name === 'auth-admin')?.reason).toMatch(/403 not_admin/);
    const text = JSON.stringify(r);
    expect(text).not.toContain((env.SERVICE_ROLE_KEY as string).slice(-20));
  });

  it('a key Kong does not know: 401 at the gateway, blamed on kong; keys from another secret: upstream errors', async () => {
    const env = await healthyEnv(new Date());
    gw = await startSupabaseGateway({ env });
    const other = await generateLegacyApiKeys({ secret: generateSecrets().JWT_SECRET });
    const r = await validateDeployment({
      publicUrl: `${gw.url}/`,
      anonKey: 'nope',
      serviceKey: other.SERVICE_ROLE_KEY,
    });
    expect(r.checks.find((c) => c.name === 'auth-health')).toMatchObject({
      ok: false,
      status: 401,
      services: ['kong'],
    });
    expect(r.checks.find((c) => c.name === 'storage-buckets')).toMatchObject({
      ok: false,
      status: 400,
      services: ['storage'],
    });
  });

  it('a gateway that is down: no answer, transient, retried the given number of times', async () => {
    const env = await healthyEnv(new Date());
    gw = await startSupabaseGateway({ env });
    await gw.setFaults({ gateway: 'refused' });
    const r = await validateDeployment({
      publicUrl: gw.url,
      anonKey: 'a',
      serviceKey: 'b',
      attempts: 2,
      retryMs: 1,
    });
    expect(r.attempts).toBe(2);
    expect(r.checks.find((c) => c.name === 'auth-health')).toMatchObject({
      ok: false,
      transient: true,
      services: ['kong'],
    });
    expect(r.logs).toEqual([]);
  });

  it('a stopped upstream is 503 from Kong, blamed on that service', async () => {
    const env = await healthyEnv(new Date());
    gw = await startSupabaseGateway({ env });
    await gw.setFaults({ rest: 'unresolvable' });
    const r = await validateDeployment({
      publicUrl: gw.url,
      anonKey: env.ANON_KEY as string,
      serviceKey: env.SERVICE_ROLE_KEY as string,
    });
    expect(r.checks.find((c) => c.name === 'rest-anon')).toMatchObject({
      ok: false,
      status: 503,
      services: ['rest'],
      transient: true,
    });
  });

  it('validates its input', async () => {
    await expect(
      validateDeployment({ publicUrl: 'ftp://x', anonKey: 'a', serviceKey: 'b' }),
    ).rejects.toSatisfy((e: unknown) => SelfhostValidationError.isInstance(e));
    await expect(
      validateDeployment({
        publicUrl: 'https://x.dev',
        anonKey: 'a',
        serviceKey: 'b',
        composeId: 'c',
      }),
    ).rejects.toThrow(/client and composeId together/);
  });
});
