import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CloneAbortedError,
  type CloneEvent,
  CloneSettingsError,
  CloneSourceError,
  cloneInstance,
  createHistoryStore,
  parseEnv,
  SelfhostValidationError,
  toEnvRecord,
} from '../src/index.js';
import { calls, FAST } from './clone-helpers.js';
import { deployWithWizard } from './deployed.js';
import { type SimulatedStack, startStack } from './stack.js';

const stacks: SimulatedStack[] = [];
afterEach(async () => {
  for (const s of stacks.splice(0)) await s.stop();
});

async function stackOf(version = '0.30.2'): Promise<SimulatedStack> {
  const s = await startStack({ version });
  stacks.push(s);
  return s;
}

const envOf = (text: string | null | undefined) => toEnvRecord(parseEnv(text ?? ''));

describe('cloneInstance targets and failures', () => {
  it('clones into another project and environment, on a generated domain', async () => {
    const s = await stackOf();
    const source = await deployWithWizard(s);
    const result = await cloneInstance({
      client: s.client,
      composeId: source.composeId,
      history: source.history,
      target: { projectName: 'shop-staging', environmentName: 'staging' },
      domain: { mode: 'generated' },
      secretsOutput: { mode: 'print' },
      fetch: s.fetch,
      ...FAST,
    });
    expect(result.validation.ok).toBe(true);
    expect(result.clone).toMatchObject({
      name: 'supabase-clone',
      projectName: 'shop-staging',
      environmentName: 'staging',
      generatedDomain: true,
    });
    expect(result.clone.host).toMatch(
      /^shopstaging-supabase-clone-[0-9a-f]{6}-127-0-0-1\.sslip\.io$/,
    );
    const projects = await s.client.project.all();
    const staging = projects.find((p) => p.name === 'shop-staging');
    const env = staging?.environments?.find((e) => e.name === 'staging');
    expect(env?.compose?.map((c) => c.composeId)).toEqual([result.clone.composeId]);
    const cloned = envOf((await s.client.compose.one({ composeId: result.clone.composeId })).env);
    expect(cloned.SUPABASE_PUBLIC_URL).toBe(`https://${result.clone.host}`);
    // the source's app URL is another app: kept; its redirect list too
    expect(cloned.SITE_URL).toBe('https://app.acme.dev');
  });

  it('clones onto a second Dokploy server with a second client; the first gets no write', async () => {
    const a = await stackOf('0.30.2');
    const b = await stackOf('0.25.6');
    const source = await deployWithWizard(a);
    const writesBefore = a.sim.requests.filter((r) => r.method === 'POST').length;
    const history = createHistoryStore(join(b.dir, 'history'));
    const events: CloneEvent[] = [];
    const result = await cloneInstance({
      client: a.client,
      composeId: source.composeId,
      history,
      target: { client: b.client },
      domain: { mode: 'own', host: 'eu.acme.dev' },
      secretsOutput: { mode: 'print' },
      fetch: b.fetch,
      onEvent: (e) => events.push(e),
      ...FAST,
    });
    expect(result.validation.ok).toBe(true);
    expect(result.clone.dokploy).toBe(b.client.baseUrl.api);
    // the project and environment of the source, made on the second server
    const projects = await b.client.project.all();
    expect(projects.map((p) => p.name)).toEqual(['shop']);
    expect(calls(b, 'compose.create')).toBe(1);
    expect(calls(b, 'mounts.create')).toBe(result.mounts?.copied.length);
    expect(calls(b, 'compose.deploy')).toBe(1);
    // the first server was only read
    expect(a.sim.requests.filter((r) => r.method === 'POST').length).toBe(writesBefore);
    expect(result.sourceUnchanged).toBe(true);
    expect(
      (await history.list()).every(
        (r) => r.composeId === undefined || r.composeId === result.clone.composeId,
      ),
    ).toBe(true);
    const wizardEvents = events.filter((e) => e.type === 'wizard').length;
    expect(wizardEvents).toBeGreaterThan(9);
  });

  it('resumes an interrupted clone from its state file without a second compose', async () => {
    const s = await stackOf();
    const source = await deployWithWizard(s);
    const statePath = join(s.dir, 'clone-state.json');
    const controller = new AbortController();
    const base = {
      client: s.client,
      composeId: source.composeId,
      history: source.history,
      domain: { mode: 'generated' },
      secretsOutput: { mode: 'print' },
      statePath,
      fetch: s.fetch,
      ...FAST,
    } as const;
    const first = await cloneInstance({
      ...base,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'wizard' && e.event.type === 'step-start' && e.event.step === 'validate')
          controller.abort(new Error('operator pressed Ctrl-C'));
      },
    }).catch((e: unknown) => e);
    expect(CloneAbortedError.isInstance(first)).toBe(true);
    expect((first as CloneAbortedError).phase).toBe('wizard: validate');
    const again = await cloneInstance(base);
    expect(again.validation.ok).toBe(true);
    expect(again.wizard.skipped).toContain('deploy');
    expect(again.mounts).toBeUndefined();
    // one compose and one deploy for the clone, the host kept from the first run
    expect(calls(s, 'compose.create')).toBe(1);
    expect(calls(s, 'domain.generateDomain')).toBe(1);
    expect(again.secrets?.JWT_SECRET).toBe(
      envOf((await s.client.compose.one({ composeId: again.clone.composeId })).env).JWT_SECRET,
    );
  });

  it('refuses sources that cannot be cloned, and bad input, before writing', async () => {
    const s = await stackOf();
    const project = await s.client.project.create({ name: 'misc' });
    const plain = await s.client.compose.create({
      name: 'web',
      environmentId: project.environment!.environmentId,
      composeFile: 'services:\n  web:\n    image: nginx:1.27\n',
    });
    const history = createHistoryStore(join(s.dir, 'history'));
    const base = {
      client: s.client,
      history,
      domain: { mode: 'own', host: 'x.acme.dev' },
      secretsOutput: { mode: 'print' },
    } as const;
    const notSupabase = await cloneInstance({ ...base, composeId: plain.composeId }).catch(
      (e: unknown) => e,
    );
    expect(CloneSourceError.isInstance(notSupabase)).toBe(true);
    expect((notSupabase as Error).message).toMatch(/not a Supabase stack.*Fix:/);
    const unknown = await cloneInstance({ ...base, composeId: 'nope' }).catch((e: unknown) => e);
    expect(CloneSourceError.isInstance(unknown)).toBe(true);
    const gitSourced = await s.client.compose.create({
      name: 'git',
      environmentId: project.environment!.environmentId,
    });
    const noFile = await cloneInstance({ ...base, composeId: gitSourced.composeId }).catch(
      (e: unknown) => e,
    );
    expect((noFile as Error).message).toMatch(/no compose file/);

    const bad = await cloneInstance({
      ...base,
      composeId: plain.composeId,
      data: { storage: { type: 'local', dir: s.dir } },
    } as never).catch((e: unknown) => e);
    expect(SelfhostValidationError.isInstance(bad)).toBe(true);
    expect((bad as SelfhostValidationError).issues[0]?.path).toBe('data.encryption');
    const aborted = await cloneInstance({
      ...base,
      composeId: plain.composeId,
      signal: AbortSignal.abort(),
    }).catch((e: unknown) => e);
    expect(CloneAbortedError.isInstance(aborted)).toBe(true);
    expect(await history.list()).toEqual([]);
  });

  it('needs SMTP settings it can use, or an explicit smtp answer', async () => {
    const s = await stackOf();
    const source = await deployWithWizard(s);
    // a source whose SMTP lost its password and admin address
    const env = (await s.client.compose.one({ composeId: source.composeId })).env ?? '';
    const broken = env
      .replace(/^SMTP_PASS=.*$/m, 'SMTP_PASS=')
      .replace(/^SMTP_ADMIN_EMAIL=.*$/m, 'SMTP_ADMIN_EMAIL=');
    await s.client.compose.update({ composeId: source.composeId, env: broken });
    const base = {
      client: s.client,
      composeId: source.composeId,
      history: source.history,
      domain: { mode: 'own', host: 'dev.acme.dev' },
      secretsOutput: { mode: 'print' },
      fetch: s.fetch,
      ...FAST,
    } as const;
    const error = await cloneInstance(base).catch((e: unknown) => e);
    expect(CloneSettingsError.isInstance(error)).toBe(true);
    expect((error as CloneSettingsError).missing).toEqual(['SMTP_PASS', 'SMTP_ADMIN_EMAIL']);
    expect(calls(s, 'compose.create')).toBe(0);
    const dev = await cloneInstance({ ...base, smtp: { mode: 'development-autoconfirm' } });
    expect(dev.validation.ok).toBe(true);
    const cloned = envOf((await s.client.compose.one({ composeId: dev.clone.composeId })).env);
    expect(cloned.ENABLE_EMAIL_AUTOCONFIRM).toBe('true');
  });
});
