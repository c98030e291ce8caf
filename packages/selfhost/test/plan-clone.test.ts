import { afterEach, describe, expect, it } from 'vitest';
import {
  CloneSettingsError,
  CloneSourceError,
  cloneInstance,
  parseEnv,
  planClone,
  toEnvRecord,
} from '../src/index.js';
import { calls, FAST } from './clone-helpers.js';
import { deployWithWizard } from './deployed.js';
import { type SimulatedStack, startStack } from './stack.js';

let stack: SimulatedStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('planClone (Dokploy simulator)', () => {
  it('plans what cloneInstance then does, writing nothing', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const source = await deployWithWizard(s);
    const before = await source.history.list();
    const input = {
      client: s.client,
      composeId: source.composeId,
      history: source.history,
      name: 'shop-staging',
      domain: { mode: 'own', host: 'Staging.Acme.dev' },
      secretsOutput: { mode: 'print' },
      fetch: s.fetch,
      ...FAST,
    } as const;
    const writes = ['compose.create', 'compose.update', 'mounts.create', 'project.create'];
    const counts = writes.map((p) => calls(s, p));
    const plan = await planClone(input);
    expect(writes.map((p) => calls(s, p))).toEqual(counts);
    expect(await source.history.list()).toEqual(before);
    expect(plan.clone).toMatchObject({
      name: 'shop-staging',
      projectName: 'shop',
      host: 'staging.acme.dev',
      generatedDomain: false,
    });
    expect(plan.smtp).toBe('smtp');
    expect(plan.data).toBe(false);
    expect(plan.regenerated).toEqual(expect.arrayContaining(['JWT_SECRET', 'ANON_KEY']));
    expect(plan.carried).toContain('SMTP_HOST');
    expect(plan.carried).not.toContain('JWT_SECRET');
    expect(plan.mounts.length).toBe(plan.source.mounts);
    // the plan holds no secret of the source
    const env = toEnvRecord(parseEnv(source.env));
    const json = JSON.stringify(plan);
    for (const key of ['JWT_SECRET', 'ANON_KEY', 'SERVICE_ROLE_KEY', 'POSTGRES_PASSWORD'])
      expect(json).not.toContain(env[key]);

    const made = await cloneInstance(input);
    expect(made.clone).toMatchObject({ name: plan.clone.name, host: plan.clone.host });
    expect(made.carried).toEqual(plan.carried);
    expect(made.regenerated).toEqual(plan.regenerated);
    expect([...(made.mounts?.copied ?? [])].sort()).toEqual([...plan.mounts].sort());
  });

  it('fails where the clone would, before any write: a bad source, SMTP it cannot use', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const source = await deployWithWizard(s);
    const base = {
      client: s.client,
      history: source.history,
      domain: { mode: 'generated' },
      secretsOutput: { mode: 'print' },
    } as const;
    const unknown = await planClone({ ...base, composeId: 'nope' }).catch((e: unknown) => e);
    expect(CloneSourceError.isInstance(unknown)).toBe(true);
    const env = (await s.client.compose.one({ composeId: source.composeId })).env ?? '';
    await s.client.compose.update({
      composeId: source.composeId,
      env: env.replace(/^SMTP_PASS=.*$/m, 'SMTP_PASS='),
    });
    const smtp = await planClone({ ...base, composeId: source.composeId }).catch((e: unknown) => e);
    expect(CloneSettingsError.isInstance(smtp)).toBe(true);
    // the template's fake .env.example SMTP: refused here, not by the wizard's review later
    await s.client.compose.update({
      composeId: source.composeId,
      env: env
        .replace(/^SMTP_HOST=.*$/m, 'SMTP_HOST=supabase-mail')
        .replace(/^SMTP_USER=.*$/m, 'SMTP_USER=fake_mail_user')
        .replace(/^SMTP_PASS=.*$/m, 'SMTP_PASS=fake_mail_password'),
    });
    const fake = await planClone({ ...base, composeId: source.composeId }).catch((e: unknown) => e);
    expect(CloneSettingsError.isInstance(fake)).toBe(true);
    expect((fake as CloneSettingsError).missing).toEqual(['SMTP_HOST', 'SMTP_USER', 'SMTP_PASS']);
    const created = calls(s, 'project.create') + calls(s, 'compose.create');
    const clone = await cloneInstance({ ...base, composeId: source.composeId }).catch(
      (e: unknown) => e,
    );
    expect(CloneSettingsError.isInstance(clone)).toBe(true);
    expect(calls(s, 'project.create') + calls(s, 'compose.create')).toBe(created);
    const dev = await planClone({
      ...base,
      composeId: source.composeId,
      smtp: { mode: 'development-autoconfirm' },
    });
    expect(dev).toMatchObject({
      smtp: 'development-autoconfirm',
      clone: { generatedDomain: true },
    });
    expect(dev.clone.host).toBeUndefined();
  });
});
