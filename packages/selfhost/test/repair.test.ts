import { join } from 'node:path';
import { waitForDeployment } from '@supaops/dokploy-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyRepair,
  createHistoryStore,
  parseEnv,
  planRepair,
  RepairStaleError,
  repairPlanEnv,
  setEnvValues,
  toEnvRecord,
  validateDeployment,
} from '../src/index.js';
import { type SimulatedStack, startStack } from './stack.js';

let stack: SimulatedStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/** The Supabase template deployed as Dokploy 0.25.5 does it: identical, role-less keys. */
async function brokenDeployment(s: SimulatedStack) {
  const { environment } = await s.client.project.create({ name: 'shop' });
  const compose = await s.client.compose.deployTemplate({
    environmentId: environment?.environmentId as string,
    id: 'supabase',
  });
  await s.client.compose.deploy({ composeId: compose.composeId });
  await waitForDeployment(s.client, {
    composeId: compose.composeId,
    intervalMs: 5,
    timeoutMs: 10_000,
  });
  const one = await s.client.compose.one({ composeId: compose.composeId });
  return {
    composeId: compose.composeId,
    env: one.env ?? '',
    host: one.domains?.[0]?.host as string,
  };
}

describe('planRepair / applyRepair (Dokploy simulator 0.25.5 + gateway simulator)', () => {
  it('identical role-less keys: validation fails before and passes after; untouched lines byte-identical', async () => {
    stack = await startStack({ version: '0.25.5' });
    const s = stack;
    const { composeId, env: original, host } = await brokenDeployment(s);
    const keys = toEnvRecord(parseEnv(original));
    expect(keys.ANON_KEY).toBe(keys.SERVICE_ROLE_KEY);
    // before: Kong refuses the identical keys, so even plain http gets no answer
    const before = await validateDeployment({
      publicUrl: `http://${host}`,
      anonKey: keys.ANON_KEY as string,
      serviceKey: keys.SERVICE_ROLE_KEY as string,
      client: s.client,
      composeId,
      fetch: s.fetch,
    });
    expect(before.ok).toBe(false);
    expect(before.checks.find((c) => c.name === 'auth-health')?.services).toEqual(['kong']);
    expect(s.gateways.get(composeId)?.listening).toBe(false);

    const plan = await planRepair({ client: s.client, composeId });
    expect(plan.needed).toBe(true);
    expect(plan.rotateSecret).toBe(false); // the template's JWT_SECRET is sound: kept
    expect(plan.findingsBefore).toEqual(
      expect.arrayContaining(['JWT_IDENTICAL_KEYS', 'JWT_ROLE_MISSING']),
    );
    // mail is the user's to configure: repair does not invent SMTP settings
    expect(plan.findingsAfter).toEqual(['SMTP_FAKE_DEFAULTS']);
    expect(plan.domain).toMatchObject({ host, before: { https: false }, after: { https: true } });
    expect(plan.changedKeys.sort()).toEqual(['ANON_KEY', 'SERVICE_ROLE_KEY']);
    // the dry run is secret-free and writes nothing
    const dry = await applyRepair(plan, {
      client: s.client,
      history: createHistoryStore(join(s.dir, 'h')),
      dryRun: true,
    });
    expect(dry.applied).toBe(false);
    expect(plan.diffText).toMatch(/~ ANON_KEY: eyJh…/);
    const json = JSON.stringify(plan);
    expect(json).not.toContain((keys.JWT_SECRET as string).slice(-12));
    expect(json).not.toContain(repairPlanEnv(plan).after.slice(-40, -20));
    expect((await s.client.compose.one({ composeId })).env).toBe(original);

    const history = createHistoryStore(join(s.dir, 'history'));
    const result = await applyRepair(plan, {
      client: s.client,
      history,
      fetch: s.fetch,
      pollMs: 5,
      validateAttempts: 2,
      validateRetryMs: 5,
    });
    expect(result.validation?.ok).toBe(true);
    expect(result.validation?.checks.every((c) => c.ok)).toBe(true);
    const after = (await s.client.compose.one({ composeId })).env ?? '';
    const a = original.split('\n');
    const b = after.split('\n');
    expect(b.length).toBe(a.length);
    for (const [i, line] of a.entries()) {
      if (/^(ANON_KEY|SERVICE_ROLE_KEY)=/.test(line)) expect(b[i]).not.toBe(line);
      else expect(b[i]).toBe(line);
    }
    expect(toEnvRecord(parseEnv(after)).JWT_SECRET).toBe(keys.JWT_SECRET);
    const records = await history.list();
    expect(records.map((r) => r.kind)).toEqual(['compose.env', 'domain.update', 'compose.deploy']);
    expect(records[0]?.before).toBe(original);
  });

  it('refuses a plan whose env changed meanwhile', async () => {
    stack = await startStack({ version: '0.25.5' });
    const { composeId, env } = await brokenDeployment(stack);
    const plan = await planRepair({ client: stack.client, composeId });
    await stack.client.compose.update({ composeId, env: setEnvValues(env, { EXTRA: '1' }) });
    await expect(
      applyRepair(plan, {
        client: stack.client,
        history: createHistoryStore(join(stack.dir, 'h')),
      }),
    ).rejects.toSatisfy((e: unknown) => RepairStaleError.isInstance(e));
  });

  it('after a repair, planning again finds nothing to do (0.30.2 template)', async () => {
    stack = await startStack({ version: '0.30.2' });
    const { composeId } = await brokenDeployment(stack);
    const first = await planRepair({ client: stack.client, composeId });
    await applyRepair(first, {
      client: stack.client,
      history: createHistoryStore(join(stack.dir, 'h')),
      fetch: stack.fetch,
      pollMs: 5,
      validateAttempts: 1,
    });
    const again = await planRepair({ client: stack.client, composeId });
    expect(again.needed).toBe(false);
    expect(again.diffText).toBe('');
  });
});
