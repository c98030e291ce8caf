// biome-ignore-all lint/suspicious/noTemplateCurlyInString: template helpers are the test data
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateEnv } from '../doctor/validate-config.js';
import { parseEnv, toEnvRecord } from '../env/parse.js';
import { WizardStateError } from '../workflow-errors.js';
import { BUNDLED_COMPOSE_FILE, BUNDLED_TEMPLATE_SOURCE } from './bundled-template.js';
import { buildEnvText, templateEnvLines, wizardValues } from './env-build.js';
import { wizardInputSchema } from './input.js';
import { createWizardStateStore } from './state-store.js';
import { poolerConnectionStrings } from './steps/summary.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const answers = (extra: Record<string, unknown> = {}) =>
  wizardInputSchema.parse({
    projectName: 'shop',
    smtp: { mode: 'development-autoconfirm' },
    domain: { mode: 'own', host: 'supabase.acme.dev' },
    secretsOutput: { mode: 'print' },
    ...extra,
  });

describe('the env the wizard builds', () => {
  it('fills every template helper; the doctor finds no error in it', async () => {
    const { generateSupabaseEnv } = await import('@supaops/supabase-jwt');
    const secrets = { ...(await generateSupabaseEnv()) } as Record<string, string>;
    const lines = templateEnvLines();
    expect(lines.length).toBeGreaterThan(60);
    const { text, unfilled } = buildEnvText(
      lines,
      wizardValues(answers(), secrets, 'supabase.acme.dev'),
    );
    expect(unfilled).toEqual([]);
    expect(text).not.toContain('${');
    const env = toEnvRecord(parseEnv(text));
    expect(env.SUPABASE_PUBLIC_URL).toBe('https://supabase.acme.dev');
    expect(env.ADDITIONAL_REDIRECT_URLS).toBe('https://supabase.acme.dev/**');
    expect(env.MAILER_URLPATHS_INVITE).toBe('/auth/v1/verify');
    const report = validateEnv(text, {
      domain: { host: 'supabase.acme.dev', https: true },
      composeFile: BUNDLED_COMPOSE_FILE,
    });
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('reports a template helper it cannot fill, and appends keys the template lacks', () => {
    const { text, unfilled } = buildEnvText(['# c', 'A=${password:8}', 'B=lit'], { C: 'x y' });
    expect(unfilled).toEqual(['A']);
    expect(text).toBe('# c\nB=lit\nC=x y\n');
  });

  it('SMTP answers go into the env', () => {
    const values = wizardValues(
      answers({
        smtp: {
          mode: 'smtp',
          host: 'smtp.x.net',
          port: 465,
          user: 'u',
          pass: 'p',
          adminEmail: 'a@x.net',
        },
      }),
      {},
      'h.example.org',
    );
    expect(values).toMatchObject({
      SMTP_HOST: 'smtp.x.net',
      SMTP_PORT: '465',
      SMTP_SENDER_NAME: 'shop',
      ENABLE_EMAIL_AUTOCONFIRM: 'false',
    });
  });

  it('the bundled template names its source', () => {
    expect(BUNDLED_TEMPLATE_SOURCE).toMatchObject({
      repository: 'Dokploy/templates',
      commit: '285e667',
    });
    expect(BUNDLED_COMPOSE_FILE).toContain('kong:');
  });
});

describe('wizard input', () => {
  it('has defaults and refuses bad names and hosts', () => {
    const a = answers();
    expect(a).toMatchObject({
      composeName: 'supabase',
      compose: { source: 'template' },
      deployTimeoutMs: 1_800_000,
    });
    expect(
      wizardInputSchema.safeParse({ ...a, domain: { mode: 'own', host: 'bad_host.dev' } }).success,
    ).toBe(false);
    expect(wizardInputSchema.safeParse({ ...a, projectName: 'émoji' }).success).toBe(false);
    expect(wizardInputSchema.safeParse({ ...a, extra: 1 }).success).toBe(false);
  });
});

describe('poolerConnectionStrings', () => {
  it('uses postgres.<tenant> on 5432 (session) and 6543 (transaction), password URL-encoded', () => {
    expect(poolerConnectionStrings({ host: 'h', tenantId: 't1', password: 'a/b' })).toEqual({
      session: 'postgresql://postgres.t1:a%2Fb@h:5432/postgres',
      transaction: 'postgresql://postgres.t1:a%2Fb@h:6543/postgres',
    });
  });
});

describe('createWizardStateStore', () => {
  it('round-trips the state in a 0600 file; saves land in call order', async () => {
    dir = await mkdtemp(join(tmpdir(), 'state-'));
    const store = createWizardStateStore(join(dir, 'sub', 'state.json'));
    expect(await store.load()).toBeUndefined();
    const state = { version: 1 as const, projectName: 'p', steps: {} };
    await Promise.all([
      store.save({ ...state, projectName: 'first' }),
      store.save({ ...state, projectName: 'second' }),
    ]);
    expect((await store.load())?.projectName).toBe('second');
    expect((await stat(join(dir, 'sub', 'state.json'))).mode & 0o777).toBe(0o600);
  });

  it('refuses a file that is not JSON or not a wizard state', async () => {
    dir = await mkdtemp(join(tmpdir(), 'state-'));
    await writeFile(join(dir, 'a.json'), 'nope');
    await writeFile(join(dir, 'b.json'), '{"x":1}');
    await expect(createWizardStateStore(join(dir, 'a.json')).load()).rejects.toSatisfy(
      (e: unknown) => WizardStateError.isInstance(e),
    );
    await expect(createWizardStateStore(join(dir, 'b.json')).load()).rejects.toThrow(
      /not a state this wizard wrote/,
    );
    await expect(createWizardStateStore(dir).load()).rejects.toThrow(/could not be read/);
  });
});
