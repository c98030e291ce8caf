import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { diagnoseKeys } from '@supaops/supabase-jwt';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createHistoryStore,
  createWizardStateStore,
  DeployCancelledError,
  DeployFailedError,
  DokployUnsupportedError,
  parseEnv,
  ReviewNotCleanError,
  runSetupWizard,
  toEnvRecord,
  WizardAbortedError,
  type WizardEvent,
  type WizardInput,
  WizardStateError,
  WizardStepError,
} from '../src/index.js';
import { DOKPLOY_COMPOSE } from './helpers.js';
import { type SimulatedStack, startStack } from './stack.js';

let stack: SimulatedStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const SMTP = {
  mode: 'smtp',
  host: 'smtp.mailprovider.net',
  port: 587,
  user: 'apikey',
  pass: 'Zx9smtpPasswordValue42',
  adminEmail: 'auth@mail.acme.dev',
} as const;

function input(s: SimulatedStack, extra: Partial<WizardInput> = {}): WizardInput {
  return {
    projectName: 'shop',
    smtp: SMTP,
    domain: { mode: 'own', host: 'supabase.acme.dev' },
    siteUrl: 'https://app.acme.dev',
    secretsOutput: { mode: 'file', path: join(s.dir, 'secrets.env') },
    deployPollMs: 5,
    validateAttempts: 2,
    validateRetryMs: 5,
    ...extra,
  };
}

function deps(s: SimulatedStack, events: WizardEvent[] = [], signal?: AbortSignal) {
  return {
    client: s.client,
    state: createWizardStateStore(join(s.dir, 'state.json')),
    history: createHistoryStore(join(s.dir, 'history')),
    httpFetch: s.fetch,
    onEvent: (e: WizardEvent) => events.push(e),
    ...(signal ? { signal } : {}),
  };
}

const count = (s: SimulatedStack, procedure: string) =>
  s.sim.requests.filter((r) => r.procedure === procedure && r.status < 300).length;

function expectNoSecrets(text: string, secrets: Record<string, string>): void {
  for (const [name, value] of Object.entries(secrets)) {
    if (name === 'ANON_KEY' || value.length < 16 || name.startsWith('POOLER_')) continue;
    expect(text, name).not.toContain(value.slice(-12));
  }
}

describe('runSetupWizard end to end (Dokploy simulator + gateway simulator)', () => {
  it.each(['0.24.4', '0.25.5', '0.30.2'])(
    'fresh deploy on Dokploy %s validates',
    async (version) => {
      stack = await startStack({ version });
      const events: WizardEvent[] = [];
      const result = await runSetupWizard(input(stack), deps(stack, events));
      expect(result.ran).toEqual([
        'connect',
        'project',
        'secrets',
        'smtp',
        'domain',
        'review',
        'deploy',
        'validate',
        'summary',
      ]);
      expect(result.validation.ok).toBe(true);
      expect(result.validation.checks.map((c) => `${c.name}:${c.ok}`)).toEqual([
        'containers:true',
        'auth-health:true',
        'rest-anon:true',
        'rest-service:true',
        'rest-privileges-differ:true',
        'auth-admin:true',
        'storage-buckets:true',
      ]);
      expect(result.summary.publicUrl).toBe('https://supabase.acme.dev');
      expect(result.summary.connectionStrings.session).toMatch(
        /^postgresql:\/\/postgres\.[0-9a-f-]{36}:\*\*\*@supabase\.acme\.dev:5432\/postgres$/,
      );
      expect(result.summary.notes[0]).toMatch(/5432 and 6543/);
      // the env Dokploy holds: our keys, https URLs, the domain with https + Let's Encrypt
      const compose = await stack.client.compose.one({ composeId: result.composeId });
      const env = toEnvRecord(parseEnv(compose.env ?? ''));
      expect(diagnoseKeys(env).ok).toBe(true);
      expect(env.API_EXTERNAL_URL).toBe('https://supabase.acme.dev');
      expect(env.SMTP_HOST).toBe('smtp.mailprovider.net');
      expect(compose.domains?.[0]).toMatchObject({
        host: 'supabase.acme.dev',
        https: true,
        certificateType: 'letsencrypt',
        serviceName: 'kong',
        port: 8000,
      });
      // the template's own env was recorded before it was overwritten
      const history = await createHistoryStore(join(stack.dir, 'history')).list();
      const envWrite = history.find((h) => h.kind === 'compose.env');
      const before = toEnvRecord(parseEnv(String(envWrite?.before)));
      const templateCodes = diagnoseKeys(before).findings.map((f) => f.code);
      if (version === '0.25.5' || version === '0.24.4')
        expect(templateCodes).toContain('JWT_IDENTICAL_KEYS');
      else expect(templateCodes).not.toContain('JWT_IDENTICAL_KEYS');
      expect(before.ANON_KEY).not.toBe(env.ANON_KEY);
      // one deploy, and it ran with our env: the template's keys never reached the gateway
      expect(count(stack, 'compose.deploy')).toBe(1);
      // secrets: only in the 0600 file; the state forgot them; no event carries one
      const file = join(stack.dir, 'secrets.env');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(join(stack.dir, 'state.json'))).mode & 0o777).toBe(0o600);
      const delivered = toEnvRecord(parseEnv(await readFile(file, 'utf8')));
      expect(delivered.SERVICE_ROLE_KEY).toBe(env.SERVICE_ROLE_KEY);
      expect(delivered.POOLER_SESSION_URL).toBe(
        `postgresql://postgres.${env.POOLER_TENANT_ID}:${env.POSTGRES_PASSWORD}@supabase.acme.dev:5432/postgres`,
      );
      expect(delivered.POOLER_TRANSACTION_URL).toContain(':6543/postgres');
      const state = await readFile(join(stack.dir, 'state.json'), 'utf8');
      expectNoSecrets(state, delivered);
      expectNoSecrets(JSON.stringify(events), delivered);
      expectNoSecrets(JSON.stringify(result.summary), delivered);
      expect(result.secrets).toBeUndefined();
      expect(events.filter((e) => e.type === 'step-start').map((e) => e.step)).toHaveLength(9);
    },
  );

  it('a generated domain and the development autoconfirm choice; secrets printed once', async () => {
    stack = await startStack({ version: '0.30.2' });
    const events: WizardEvent[] = [];
    const result = await runSetupWizard(
      input(stack, {
        domain: { mode: 'generated' },
        smtp: { mode: 'development-autoconfirm' },
        siteUrl: undefined,
        secretsOutput: { mode: 'print' },
      }),
      deps(stack, events),
    );
    expect(result.summary.publicUrl).toMatch(
      /^https:\/\/shop-supabase-[0-9a-f]{6}-127-0-0-1\.sslip\.io$/,
    );
    expect(result.validation.ok).toBe(true);
    expect(result.secrets?.JWT_SECRET).toHaveLength(40);
    expect(
      events.some((e) => e.type === 'warning' && e.code === 'SMTP_DEVELOPMENT_AUTOCONFIRM'),
    ).toBe(true);
    const env = toEnvRecord(
      parseEnv((await stack.client.compose.one({ composeId: result.composeId })).env ?? ''),
    );
    expect(env.ENABLE_EMAIL_AUTOCONFIRM).toBe('true');
    expect(env.SITE_URL).toBe(result.summary.publicUrl);
    // a re-run has nothing left to do and prints nothing again
    const again = await runSetupWizard(
      input(stack, {
        domain: { mode: 'generated' },
        smtp: { mode: 'development-autoconfirm' },
        secretsOutput: { mode: 'print' },
      }),
      deps(stack),
    );
    expect(again.ran).toEqual([]);
    expect(again.secrets).toBeUndefined();
  });

  it('without the live template (deployTemplate fails) the bundled compose is deployed', async () => {
    stack = await startStack({ version: '0.30.2' });
    stack.sim.setFaults({ serverErrors: 1, procedures: ['compose.deployTemplate'] });
    const events: WizardEvent[] = [];
    const result = await runSetupWizard(input(stack), deps(stack, events));
    expect(events.some((e) => e.type === 'warning' && e.code === 'TEMPLATE_UNAVAILABLE')).toBe(
      true,
    );
    expect(result.validation.ok).toBe(true);
    expect(count(stack, 'compose.import')).toBe(1);
  });

  it('a run that stopped between creating the bundled compose and importing it imports on resume', async () => {
    stack = await startStack({ version: '0.30.2' });
    // the live template fails (so the bundled path runs), then the import of the bundled one
    stack.sim.setFaults({
      serverErrors: 2,
      procedures: ['compose.deployTemplate', 'compose.import'],
    });
    const first = await runSetupWizard(input(stack), deps(stack)).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(Error);
    const state = JSON.parse(await readFile(join(stack.dir, 'state.json'), 'utf8'));
    expect(state.steps.deploy.data).toMatchObject({ source: 'bundled', imported: false });
    const composeId = state.steps.deploy.data.composeId as string;
    // nothing imported yet: the raw compose has no template mounts
    expect((await stack.client.compose.one({ composeId })).mounts ?? []).toHaveLength(0);
    stack.sim.clearFaults();
    const result = await runSetupWizard(input(stack), deps(stack));
    expect(result.composeId).toBe(composeId);
    expect(result.validation.ok).toBe(true);
    expect(count(stack, 'compose.create')).toBe(1);
    expect((await stack.client.compose.one({ composeId })).mounts?.length).toBeGreaterThan(0);
  });

  it('an injected deploy error reports the failing service with its logs', async () => {
    stack = await startStack({ version: '0.30.2' });
    stack.sim.state.unhealthyServices.add('db');
    const error = await runSetupWizard(input(stack), deps(stack)).catch((e: unknown) => e);
    expect(DeployFailedError.isInstance(error)).toBe(true);
    const failed = error as DeployFailedError;
    expect(failed.message).toMatch(/db-1 is unhealthy/);
    expect(failed.message).toMatch(/Failing service: db/);
    const db = failed.services.find((s) => s.service === 'db');
    expect(db?.lines?.some((l) => l.includes('healthcheck failed'))).toBe(true);
    const state = JSON.parse(await readFile(join(stack.dir, 'state.json'), 'utf8'));
    expect(state.steps.deploy.status).toBe('failed');
    // fixed: the re-run redeploys and validates
    stack.sim.state.unhealthyServices.delete('db');
    const result = await runSetupWizard(input(stack), deps(stack));
    expect(result.ran[0]).toBe('deploy');
    expect(result.validation.ok).toBe(true);
  });

  it('aborted during the wait, a re-run continues at the deploy without recreating anything', async () => {
    stack = await startStack({ version: '0.30.2', deployDurationMs: 60_000 });
    const controller = new AbortController();
    const events: WizardEvent[] = [];
    const first = runSetupWizard(input(stack), {
      ...deps(stack, events, controller.signal),
      onEvent: (e: WizardEvent) => {
        events.push(e);
        if (e.type === 'progress' && e.phase === 'running') controller.abort();
      },
    });
    const error = await first.catch((e: unknown) => e);
    expect(WizardAbortedError.isInstance(error)).toBe(true);
    expect((error as WizardAbortedError).step).toBe('deploy');
    stack.sim.completeDeployments();
    const result = await runSetupWizard(input(stack), deps(stack));
    expect(result.skipped).toEqual(['connect', 'project', 'secrets', 'smtp', 'domain', 'review']);
    expect(result.ran).toEqual(['deploy', 'validate', 'summary']);
    expect(result.validation.ok).toBe(true);
    expect(count(stack, 'project.create')).toBe(1);
    expect(count(stack, 'compose.deployTemplate')).toBe(1);
    expect(count(stack, 'compose.deploy')).toBe(1);
  });

  it('a deployment cancelled by a Dokploy restart is reported as such and resumable', async () => {
    stack = await startStack({ version: '0.30.2', deployDurationMs: 60_000 });
    const s = stack;
    let restarted = false;
    const error = await runSetupWizard(input(s), {
      ...deps(s),
      onEvent: (e: WizardEvent) => {
        if (!restarted && e.type === 'progress' && e.phase === 'running') {
          restarted = true;
          s.sim.restart();
        }
      },
    }).catch((e: unknown) => e);
    expect(DeployCancelledError.isInstance(error)).toBe(true);
    s.sim.setDeployDurationMs(1);
    const result = await runSetupWizard(input(s), deps(s));
    expect(result.ran[0]).toBe('deploy');
    expect(result.validation.ok).toBe(true);
    expect(count(s, 'compose.deploy')).toBe(2);
    expect(count(s, 'compose.deployTemplate')).toBe(1);
  });

  it('an own compose file in a named environment: compose.create, our env only, the domain created', async () => {
    stack = await startStack({ version: '0.30.2' });
    const result = await runSetupWizard(
      input(stack, {
        environmentName: 'staging',
        compose: {
          source: 'own',
          composeFile: DOKPLOY_COMPOSE,
          env: { STUDIO_DEFAULT_PROJECT: 'Shop' },
        },
      }),
      deps(stack),
    );
    expect(result.validation.ok).toBe(true);
    expect(count(stack, 'environment.create')).toBe(1);
    expect(count(stack, 'compose.deployTemplate')).toBe(0);
    expect(count(stack, 'domain.create')).toBe(1);
    const compose = await stack.client.compose.one({ composeId: result.composeId });
    const env = toEnvRecord(parseEnv(compose.env ?? ''));
    expect(env.STUDIO_DEFAULT_PROJECT).toBe('Shop');
    expect(env.PGRST_DB_SCHEMAS).toBe('public,storage,graphql_public');
    const staging = await stack.client.environment.one({
      environmentId: String(compose.environmentId),
    });
    expect(staging.name).toBe('staging');
  });

  it('a Dokploy too old for the template stops at connect with an upgrade hint', async () => {
    stack = await startStack({ version: '0.20.5' });
    const events: WizardEvent[] = [];
    const error = await runSetupWizard(input(stack), deps(stack, events)).catch((e: unknown) => e);
    expect(DokployUnsupportedError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/v0.20.5 .*Fix: upgrade Dokploy/);
    expect(events.at(-1)).toMatchObject({ type: 'step-end', step: 'connect', status: 'failed' });
  });

  it("a bad key fails at connect as a WizardStepError carrying Dokploy's error", async () => {
    stack = await startStack({ version: '0.30.2' });
    const { createDokployClient } = await import('@supaops/dokploy-client');
    const client = createDokployClient({
      baseUrl: stack.sim.url,
      apiKey: 'wrong-key-123',
      logger: { warn: () => {} },
      retry: false,
    });
    const error = await runSetupWizard(input(stack), { ...deps(stack), client }).catch(
      (e: unknown) => e,
    );
    expect(WizardStepError.isInstance(error)).toBe(true);
    expect((error as WizardStepError).step).toBe('connect');
    expect((error as Error).message).not.toContain('wrong-key-123');
  });

  it('a state file of another project is refused; review refuses an env with doctor errors', async () => {
    stack = await startStack({ version: '0.30.2' });
    await runSetupWizard(input(stack), deps(stack));
    await expect(
      runSetupWizard(input(stack, { projectName: 'other' }), deps(stack)),
    ).rejects.toSatisfy((e: unknown) => WizardStateError.isInstance(e));
    const fresh = { ...deps(stack), state: createWizardStateStore(join(stack.dir, 's2.json')) };
    const bad = await runSetupWizard(
      input(stack, { projectName: 'shop2', additionalRedirectUrls: ['not a url'] }),
      fresh,
    ).catch((e: unknown) => e);
    expect(ReviewNotCleanError.isInstance(bad)).toBe(true);
    expect(count(stack, 'compose.deployTemplate')).toBe(1);
  });
});
