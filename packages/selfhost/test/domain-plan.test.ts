import { afterEach, describe, expect, it } from 'vitest';
import {
  changeDomain,
  DomainNotFoundError,
  planDomainChange,
  SelfhostValidationError,
} from '../src/index.js';
import { deployWithWizard, HOST } from './deployed.js';
import { type SimulatedStack, startStack } from './stack.js';

let stack: SimulatedStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const codes = (notes: { code: string }[]) => notes.map((n) => n.code);

describe('planDomainChange (Dokploy simulator, after a wizard deploy behind https://supabase.acme.dev)', () => {
  it('turning https off: the exact row changeDomain writes, the redeploy it needs, the env URLs it breaks', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const { composeId, history } = await deployWithWizard(s);
    const change = {
      client: s.client,
      history,
      composeId,
      action: 'update',
      domain: HOST,
      https: false,
    } as const;
    const writes = () =>
      s.sim.requests.filter((r) => r.method === 'POST' && r.procedure.startsWith('domain.')).length;
    const writesBefore = writes();
    const plan = await planDomainChange(change);
    expect(plan.ok).toBe(true);
    expect(plan.before).toMatchObject({
      host: HOST,
      https: true,
      certificateType: 'letsencrypt',
      serviceName: 'kong',
      port: 8000,
    });
    expect(plan.after).toMatchObject({
      host: HOST,
      https: false,
      certificateType: 'none',
      serviceName: 'kong',
      port: 8000,
    });
    expect(plan.changes).toEqual([
      { field: 'https', from: true, to: false },
      { field: 'certificateType', from: 'letsencrypt', to: 'none' },
    ]);
    expect(plan).toMatchObject({ noop: false, needsRedeploy: true, redeploy: false });
    expect(codes(plan.warnings)).toEqual(['ENV_URL_SCHEME', 'ENV_URL_SCHEME']);
    expect(plan.warnings[0]?.fix).toBe(
      `set SUPABASE_PUBLIC_URL to http://${HOST} (updateCompose env.set), or turn https on`,
    );
    expect(plan.summary).toBe(
      `Will update ${HOST} (https, letsencrypt) → kong:8000 to ${HOST} (http) → kong:8000 on compose ${composeId} (effective only after the next deploy of the compose: Dokploy writes Traefik labels at deploy).`,
    );
    expect(plan.steps[1]).toBe(`domain.update ${HOST}: https, certificateType`);
    expect(plan.domains).toEqual([`${HOST} (https, letsencrypt) → kong:8000`]);
    // nothing was written by the plan; changeDomain then writes what it showed
    expect(writes()).toBe(writesBefore);
    const done = await changeDomain(change);
    expect(done.domain).toMatchObject(plan.after as object);
    // the same change again is a no-op
    const again = await planDomainChange(change);
    expect(again).toMatchObject({ noop: true, needsRedeploy: false, changes: [], steps: [] });
    expect(again.summary).toMatch(/^Will leave .* \(nothing to change\)\.$/);
  });

  it("Let's Encrypt for a generated sslip.io name: refused for a private address, fine for a public one or self-signed", async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const { composeId } = await deployWithWizard(s);
    const add = (host: string, extra: object = {}) =>
      planDomainChange({ client: s.client, composeId, action: 'add', host, https: true, ...extra });
    const blocked = await add('shop-1a2b3c-192-168-1-20.sslip.io');
    expect(blocked.ok).toBe(false);
    expect(codes(blocked.blockers)).toEqual(['LETSENCRYPT_UNREACHABLE']);
    expect(blocked.letsEncrypt).toMatchObject({
      reachable: false,
      address: '192.168.1.20',
      range: 'private (RFC 1918)',
    });
    expect(blocked.summary).toMatch(
      /^Blocked: would add shop-1a2b3c-192-168-1-20\.sslip\.io \(https, letsencrypt\) → kong:8000/,
    );
    expect(blocked.after).toMatchObject({ serviceName: 'kong', port: 8000, path: '/' });
    const publicName = await add('shop-1a2b3c-203-0-113-7.sslip.io', { redeploy: true });
    expect(publicName.ok).toBe(true);
    expect(publicName.letsEncrypt).toMatchObject({ reachable: true, address: '203.0.113.7' });
    expect(publicName.steps[2]).toMatch(/^redeploy the compose/);
    expect(publicName.summary).toMatch(/, then redeploy the compose and validate\.$/);
    const selfSigned = await add('shop-1a2b3c-192-168-1-20.sslip.io', { certificateType: 'none' });
    expect(selfSigned.ok).toBe(true);
    expect(codes(selfSigned.warnings)).toEqual(['HTTPS_SELF_SIGNED']);
    expect(selfSigned.letsEncrypt).toBeUndefined();
    const own = await add('api.acme.dev');
    expect(own.letsEncrypt).toMatchObject({ reachable: true });
    expect(own.letsEncrypt?.address).toBeUndefined();
    expect(codes((await add(HOST)).warnings)).toEqual(['HOST_DUPLICATE']);
    expect(codes((await add('bad_name.acme.dev')).blockers)).toEqual(['HOST_INVALID']);
    expect(codes((await add('x.acme.dev', { serviceName: 'api-gw' })).blockers)).toEqual([
      'SERVICE_UNKNOWN',
    ]);
    expect(codes((await add('x.acme.dev', { certificateType: 'custom' })).warnings)).toEqual([
      'CUSTOM_RESOLVER_MISSING',
    ]);
    expect(
      codes((await add('x.acme.dev', { https: false, certificateType: 'letsencrypt' })).warnings),
    ).toEqual(['CERTIFICATE_IGNORED']);
  });

  it('a new host or removing the gateway domain: the env URLs and the API it leaves behind', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const { composeId } = await deployWithWizard(s);
    const moved = await planDomainChange({
      client: s.client,
      composeId,
      action: 'update',
      domain: HOST,
      host: 'api.acme.dev',
    });
    expect(moved.changes).toEqual([{ field: 'host', from: HOST, to: 'api.acme.dev' }]);
    expect(codes(moved.warnings)).toEqual(['ENV_URL_HOST', 'ENV_URL_HOST']);
    expect(moved.warnings[0]?.fix).toBe(
      'set SUPABASE_PUBLIC_URL to https://api.acme.dev (updateCompose env.set), then redeploy',
    );
    const removed = await planDomainChange({
      client: s.client,
      composeId,
      action: 'remove',
      domain: HOST,
    });
    expect(removed.after).toBeUndefined();
    expect(codes(removed.warnings)).toEqual(['GATEWAY_REMOVED', 'ENV_URL_HOST', 'ENV_URL_HOST']);
    expect(removed.steps[1]).toBe(`domain.delete ${HOST}`);
    await expect(
      planDomainChange({ client: s.client, composeId, action: 'remove', domain: 'nope.acme.dev' }),
    ).rejects.toSatisfy((e: unknown) => DomainNotFoundError.isInstance(e));
    await expect(
      planDomainChange({ client: s.client, composeId, action: 'update' } as never),
    ).rejects.toThrow(SelfhostValidationError);
    // an env that is ciphertext cannot be compared
    s.sim.changeAuthSecret();
    const blind = await planDomainChange({
      client: s.client,
      composeId,
      action: 'update',
      domain: HOST,
      https: false,
    });
    expect(codes(blind.warnings)).toEqual(['ENV_UNREADABLE']);
  });
});
