import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseEnv, toEnvRecord, validateDeployment } from '@supaops/selfhost';
import { testServer, useTestDatabase } from '@supaops/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { json } from './helpers/cli.js';
import { editConfig, scalar, sql } from './helpers/config-edit.js';
import { expectAbsent, secretValues, useDokployInstances } from './helpers/dokploy-instance.js';
import { schemaErrors } from './helpers/schema.js';

const stacks = useDokployInstances();
const source = useTestDatabase('cli_clone_src');
const target = useTestDatabase('cli_clone_dst');
const third = useTestDatabase('cli_clone_3rd');

// biome-ignore lint/suspicious/noExplicitAny: a --json document, checked against its schema first
type Doc = Record<string, any>;

const envOf = (text: string | null | undefined) => toEnvRecord(parseEnv(text ?? ''));

describe('clone (Dokploy simulator 0.30.2 + gateway simulator + PostgreSQL)', () => {
  it('clones the instance with its data: fresh keys, its own domain, validated, row counts in the output, registered', async () => {
    const { s, h, composeId, configPath, run } = await stacks.deploy('0.30.2');
    const src = source.current.adminUrl;
    const dst = target.current.adminUrl;
    await sql(
      src,
      `INSERT INTO auth.users (id, email) SELECT gen_random_uuid(), 'u' || g || '@example.com' FROM generate_series(1, 12) g`,
      'CREATE TABLE public.orders (id int PRIMARY KEY, total numeric NOT NULL)',
      'INSERT INTO public.orders SELECT g, g * 1.5 FROM generate_series(1, 300) g',
    );
    // the source instance's database is the test kit's; pg_dump/pg_restore from its server
    Object.assign(h.env, { SHOP_DB_URL: src, PG_BIN: testServer().binDir ?? '' });
    await editConfig(configPath, (c) => {
      c.instances.shop.database = { session: 'env:SHOP_DB_URL' };
    });
    const before = await s.client.compose.one({ composeId });
    const secretsFile = path.join(h.project, 'staging.secrets.env');
    const args = [
      ...['clone', '--instance', 'shop', '--name', 'shop-staging', '--domain', 'staging.shop.test'],
      ...['--secrets-file', secretsFile, '--copy-data', '--target-db-url', dst],
      ...['--register', 'staging', '--validate-via', s.tunnel, '--poll-interval', '5'],
      // the template's env has .env.example's fake SMTP, which the clone's review refuses
      '--dev-autoconfirm',
    ];

    // the plan (selfhost planClone) is shown before the confirmation, which refuses here
    const refused = await run(args);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /plan: clone shop \(compose [^)]+\) → shop-staging[\s\S]*domain {7}staging\.shop\.test[\s\S]*data {9}copied[\s\S]*CONFIRMATION_REQUIRED/,
    );
    const planned = await run([...args, '--dry-run', '--json']);
    expect(planned.code, planned.stderr).toBe(0);
    const plan = json<Doc>(planned);
    expect(schemaErrors('clone', plan)).toEqual([]);
    expect(plan).toMatchObject({ dryRun: true, data: true, smtp: 'development-autoconfirm' });

    const cloned = await run([...args, '--yes', '--json']);
    expect(cloned.code, cloned.stderr + cloned.stdout).toBe(0);
    const doc = json<Doc>(cloned);
    expect(schemaErrors('clone', doc)).toEqual([]);
    // the clone did what its plan said
    expect(doc.dryRun).toBe(false);
    expect(doc.carried).toEqual(plan.carried);
    expect(doc.regenerated).toEqual(plan.regenerated);
    expect([...doc.mounts.copied].sort()).toEqual([...plan.mounts].sort());
    expect(doc.clone).toMatchObject({ name: plan.clone.name, host: plan.clone.host });
    expect(doc.clone).toMatchObject({
      name: 'shop-staging',
      host: 'staging.shop.test',
      publicUrl: 'https://staging.shop.test',
    });
    expect(doc.validation.ok).toBe(true);
    expect(doc.sourceUnchanged).toBe(true);
    const counts = Object.fromEntries(
      doc.data.rowCounts.map((r: Doc) => [r.table, [r.source, r.clone]]),
    );
    expect(counts).toMatchObject({ 'public.orders': [300, 300], 'auth.users': [12, 12] });
    // counted again here, independently of the CLI
    expect(await scalar(dst, 'SELECT count(*) AS n FROM public.orders')).toBe(300);
    // progress on stderr: the phases and the wizard's steps
    expect(cloned.stderr).toMatch(/clone source/);
    expect(cloned.stderr).toMatch(/\[\d\/\d\] deploy/);
    expect(cloned.stderr).toMatch(/clone row-counts/);

    // fresh secrets in the 0600 file only; the clone answers with its own keys
    const clone = await s.client.compose.one({ composeId: doc.clone.composeId });
    const env = envOf(clone.env);
    const old = envOf(before.env);
    for (const key of ['JWT_SECRET', 'ANON_KEY', 'SERVICE_ROLE_KEY', 'POSTGRES_PASSWORD'])
      expect(env[key], key).not.toBe(old[key]);
    expect((await stat(secretsFile)).mode & 0o777).toBe(0o600);
    expect(envOf(await readFile(secretsFile, 'utf8')).JWT_SECRET).toBe(env.JWT_SECRET);
    expect(clone.composeFile).toBe(before.composeFile);
    expectAbsent(cloned, [
      ...secretValues(before.env ?? ''),
      // the clone's anon key is in its summary: public by design
      ...secretValues(clone.env ?? '').filter((v) => v !== env.ANON_KEY),
      s.sim.apiKey,
      source.current.password,
    ]);
    // the source is untouched
    const after = await s.client.compose.one({ composeId });
    expect(after.env).toBe(before.env);

    // registered by reference: the clone's compose, no key in the config
    expect(doc.instance).toMatchObject({ name: 'staging', registered: true });
    const config = await readFile(configPath, 'utf8');
    expect(JSON.parse(config).instances.staging.dokploy).toEqual({
      server: 'sim',
      composeId: doc.clone.composeId,
    });
    for (const v of secretValues(clone.env ?? '')) expect(config).not.toContain(v);
    expect(cloned.stdout).toContain(env.ANON_KEY);
    const health = await run(['health', '--instance', 'staging', '--validate-via', s.tunnel]);
    expect(health.code, health.stdout + health.stderr).toBe(0);
    const checked = await validateDeployment({
      publicUrl: 'https://staging.shop.test',
      anonKey: env.ANON_KEY as string,
      serviceKey: env.SERVICE_ROLE_KEY as string,
      fetch: (input, init) => {
        const url = new URL(String(input));
        const headers = new Headers(init?.headers);
        headers.set('x-forwarded-host', url.host);
        headers.set('x-forwarded-proto', 'https');
        return fetch(`${s.tunnel}${url.pathname}${url.search}`, { ...init, headers });
      },
      attempts: 1,
    });
    expect(checked.ok).toBe(true);

    // human output: the row counts per table, the secrets printed once
    const copy = (name: string, db: string, extra: string[] = []) =>
      run([
        ...['clone', '--instance', 'shop', '--name', name, '--domain', `${name}.shop.test`],
        ...['--print-secrets', '--copy-data', '--target-db-url', db, '--dev-autoconfirm'],
        ...['--validate-via', s.tunnel, '--poll-interval', '5', '--yes', ...extra],
      ]);
    const human = await copy('shop-copy', third.current.adminUrl);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/cloned shop → shop-copy/);
    expect(human.stdout).toMatch(/public\.orders\s+300 → 300/);
    expect(human.stdout).toMatch(/auth\.users\s+12 → 12/);
    expect(human.stdout).toMatch(/Secrets \(shown once\):\nJWT_SECRET=/);
    expectAbsent(human, [source.current.password, s.sim.apiKey]);

    // into a database that is no longer empty: the restore refuses it (exit 8)
    const again = await copy('shop-again', dst, ['--json']);
    expect(again.code, again.stdout).toBe(8);
    expect(json<Doc>(again).error.code).toBe('SELFHOST_DATA_COPY_FAILED');
    expectAbsent(again, [source.current.password]);
  });

  it("--dry-run shows the plan and writes nothing; the template's fake SMTP is refused before any write", async () => {
    const { s, h, composeId, run } = await stacks.deploy('0.30.2');
    const writes = () =>
      s.sim.requests.filter(
        (r) => !/\.(one|all|[a-z]*[bB]y[A-Z]\w*|search|version)$/.test(r.procedure),
      );
    const before = writes().length;
    const base = ['clone', '--instance', 'shop', '--name', 'shop-copy', '--generated-domain'];

    // no secrets answer needed for a plan; human output on stdout
    const human = await run([...base, '--dev-autoconfirm', '--dry-run']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^plan: clone shop \(compose /);
    expect(human.stdout).toMatch(/domain {7}generated/);
    expect(human.stdout).toMatch(/regenerated {2}\d+ secrets and keys: .*JWT_SECRET/);
    expect(human.stdout).toMatch(/smtp {9}development autoconfirm/);
    expect(human.stdout).toMatch(/data {9}not copied/);
    const planned = await run([...base, '--dev-autoconfirm', '--dry-run', '--json']);
    const plan = json<Doc>(planned);
    expect(schemaErrors('clone', plan)).toEqual([]);
    expect(plan).toMatchObject({
      dryRun: true,
      source: { instance: 'shop', composeId },
      clone: { name: 'shop-copy', projectName: 'shop', generatedDomain: true },
      server: { name: 'sim' },
      smtp: 'development-autoconfirm',
      data: false,
    });
    expect(plan.clone.host).toBeUndefined();
    expect(plan.regenerated).toEqual(expect.arrayContaining(['JWT_SECRET', 'ANON_KEY']));
    expect(plan.carried).not.toContain('JWT_SECRET');
    expectAbsent(planned, [
      ...secretValues((await s.client.compose.one({ composeId })).env ?? ''),
      s.sim.apiKey,
    ]);

    const sourceEnv = (await s.client.compose.one({ composeId })).env;
    // the template's env holds .env.example's fake SMTP: refused up front with selfhost's fix,
    // in the dry run and in the real clone, before anything is created
    for (const extra of [['--dry-run'], ['--print-secrets', '--yes']]) {
      const fake = await run([...base, ...extra, '--json']);
      expect(fake.code, fake.stdout).toBe(2);
      const error = json<Doc>(fake).error;
      expect(error.code).toBe('SELFHOST_CLONE_SETTINGS_INCOMPLETE');
      expect(error.message).toMatch(/SMTP_HOST, SMTP_USER, SMTP_PASS.*Nothing was created/);
      expect(error.fix).toMatch(
        /--smtp-host HOST .*or --dev-autoconfirm\. selfhost's fix: .*fake SMTP/,
      );
    }
    const refused = await run([...base, '--print-secrets', '--yes']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/fix: Give the clone SMTP settings of its own/);
    expect(refused.stderr).not.toMatch(/clone source|\[\d\/\d\]/);
    expect(
      writes()
        .slice(before)
        .map((r) => r.procedure),
    ).toEqual([]);
    const afterEnv = (await s.client.compose.one({ composeId })).env;
    expect(afterEnv).toBeTruthy();
    expect(afterEnv).toBe(sourceEnv);
    // no wizard state either: a later run starts fresh
    const state = await readdir(path.join(h.home, '.local/state'), { recursive: true }).catch(
      () => [] as string[],
    );
    expect(state.filter((f) => f.includes('clone'))).toEqual([]);
  });

  it('usage: --name and a domain are required, --target-db-url needs --copy-data; a plain instance has no compose', async () => {
    const { run, configPath } = await stacks.deploy('0.30.2');
    const noName = await run(['clone', '--instance', 'shop', '--domain', 'x.shop.test', '--json']);
    expect(noName.code).toBe(2);
    expect(json<Doc>(noName).error.code).toBe('CLONE_NAME_INVALID');
    const noDomain = await run(['clone', '--name', 'copy', '--json']);
    expect(json<Doc>(noDomain).error.code).toBe('CLONE_DOMAIN_MISSING');
    const both = await run(['clone', '--name', 'copy', '--domain', 'a.b', '--generated-domain']);
    expect(both.code).toBe(2);
    const db = await run([
      ...['clone', '--name', 'copy', '--generated-domain', '--target-db-url', 'postgres://x@y/z'],
    ]);
    expect(db.stderr).toMatch(/CLONE_TARGET_DB_WITHOUT_COPY/);
    const noSecrets = await run(['clone', '--name', 'copy', '--generated-domain', '--yes']);
    expect(noSecrets.code).toBe(2);
    expect(noSecrets.stderr).toMatch(/--secrets-file PATH or --print-secrets/);
    await editConfig(configPath, (c) => {
      c.instances.plain = { kind: 'self-hosted', database: { session: 'env:NOPE_URL' } };
    });
    const plain = await run([
      ...['clone', '--instance', 'plain', '--name', 'copy', '--generated-domain', '--json'],
    ]);
    expect(plain.code).toBe(4);
  });
});
