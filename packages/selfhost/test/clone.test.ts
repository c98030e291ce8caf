import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@supaops/testkit';
import { testServer } from '@supaops/testkit/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CloneEvent,
  cloneInstance,
  type DataCopyStrategy,
  parseEnv,
  RowCountMismatchError,
  rollbackTarget,
  toEnvRecord,
  validateDeployment,
} from '../src/index.js';
import { calls, FAST, scalar, seedProject } from './clone-helpers.js';
import { deployWithWizard } from './deployed.js';
import { type SimulatedStack, startStack } from './stack.js';

let stack: SimulatedStack | undefined;
const databases: TestDatabase[] = [];
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  for (const db of databases.splice(0)) await db.drop();
});

async function database(label: string): Promise<TestDatabase> {
  const db = await createTestDatabase(testServer(), label);
  databases.push(db);
  return db;
}

const envOf = (text: string | null | undefined) => toEnvRecord(parseEnv(text ?? ''));

describe('cloneInstance (Dokploy simulator + gateway simulator)', () => {
  it('clones a wizard deploy: same compose and settings, fresh keys, its own domain, validated; the source untouched', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const source = await deployWithWizard(s);
    const before = await s.client.compose.one({ composeId: source.composeId });
    const events: CloneEvent[] = [];
    const result = await cloneInstance({
      client: s.client,
      composeId: source.composeId,
      history: source.history,
      name: 'supabase-staging',
      domain: { mode: 'own', host: 'staging.acme.dev' },
      secretsOutput: { mode: 'file', path: join(s.dir, 'staging-secrets.env') },
      fetch: s.fetch,
      onEvent: (e) => events.push(e),
      ...FAST,
    });

    expect(result.validation.ok).toBe(true);
    expect(result.clone).toMatchObject({
      name: 'supabase-staging',
      projectName: 'shop',
      host: 'staging.acme.dev',
      publicUrl: 'https://staging.acme.dev',
      generatedDomain: false,
    });
    expect(result.sourceUnchanged).toBe(true);
    const clone = await s.client.compose.one({ composeId: result.clone.composeId });
    const src = envOf(source.env);
    const env = envOf(clone.env);
    // the same compose file (same image tags), in the source's project and environment
    expect(clone.composeFile).toBe(before.composeFile);
    expect(clone.environmentId).toBe(before.environmentId);
    // fresh secrets and keys
    for (const key of [
      'JWT_SECRET',
      'ANON_KEY',
      'SERVICE_ROLE_KEY',
      'POSTGRES_PASSWORD',
      'DASHBOARD_PASSWORD',
      'SECRET_KEY_BASE',
      'VAULT_ENC_KEY',
      'PG_META_CRYPTO_KEY',
      'POOLER_TENANT_ID',
    ]) {
      expect(env[key], key).toBeTruthy();
      expect(env[key], key).not.toBe(src[key]);
    }
    expect(result.regenerated).toEqual(expect.arrayContaining(['JWT_SECRET', 'ANON_KEY']));
    // the non-secret settings carried over, the URLs derived from the clone's domain
    for (const key of ['SMTP_HOST', 'SMTP_PORT', 'SMTP_USER', 'SMTP_PASS', 'SMTP_ADMIN_EMAIL'])
      expect(env[key], key).toBe(src[key]);
    expect(env.SITE_URL).toBe('https://app.acme.dev');
    expect(env.ADDITIONAL_REDIRECT_URLS).toBe(src.ADDITIONAL_REDIRECT_URLS);
    expect(env.SUPABASE_PUBLIC_URL).toBe('https://staging.acme.dev');
    expect(env.API_EXTERNAL_URL).toBe('https://staging.acme.dev');
    expect(env.DASHBOARD_USERNAME).toBe(src.DASHBOARD_USERNAME);
    expect(result.carried).toContain('SMTP_HOST');
    expect(result.carried).not.toContain('JWT_SECRET');

    // the source's file mounts, copied
    const mounts = (m: typeof clone.mounts) =>
      (m ?? []).map((x) => `${x.filePath}:${x.content}`).sort();
    expect(mounts(clone.mounts)).toEqual(mounts(before.mounts));
    expect(result.mounts?.copied.length).toBe(before.mounts?.length);

    // the clone answers with its own keys, and not with the source's
    const check = (anonKey: string, serviceKey: string) =>
      validateDeployment({
        publicUrl: 'https://staging.acme.dev',
        anonKey,
        serviceKey,
        fetch: s.fetch,
      });
    expect((await check(env.ANON_KEY!, env.SERVICE_ROLE_KEY!)).ok).toBe(true);
    expect((await check(src.ANON_KEY!, src.SERVICE_ROLE_KEY!)).ok).toBe(false);

    // the source: byte-identical env and compose file, still validating
    const after = await s.client.compose.one({ composeId: source.composeId });
    expect(after.env).toBe(before.env);
    expect(after.composeFile).toBe(before.composeFile);
    const srcCheck = await validateDeployment({
      publicUrl: 'https://supabase.acme.dev',
      anonKey: src.ANON_KEY!,
      serviceKey: src.SERVICE_ROLE_KEY!,
      fetch: s.fetch,
    });
    expect(srcCheck.ok).toBe(true);

    // the secrets went to the 0600 file only
    const file = join(s.dir, 'staging-secrets.env');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(envOf(await readFile(file, 'utf8')).JWT_SECRET).toBe(env.JWT_SECRET);
    expect(result.secrets).toBeUndefined();
    const shown = JSON.stringify({ events, result });
    for (const v of [env.JWT_SECRET, env.SERVICE_ROLE_KEY, env.POSTGRES_PASSWORD, src.JWT_SECRET])
      expect(shown).not.toContain(v);

    // every write recorded first: mounts, env, domain, deploy; rollback can target the clone
    const records = (await source.history.list()).filter(
      (r) => r.composeId === result.clone.composeId,
    );
    const kinds = new Set(records.map((r) => r.kind));
    for (const k of ['mount.create', 'compose.env', 'domain.create', 'compose.deploy'])
      expect(kinds.has(k as never), k).toBe(true);
    expect(rollbackTarget(records, result.clone.composeId)?.kind).toBe('compose.env');
    // one deploy for the clone, none for the source
    expect(calls(s, 'compose.deploy')).toBe(2);
    const phases = events.filter((e) => e.type === 'phase' && e.status === 'done');
    expect(phases.map((e) => (e as { phase: string }).phase)).toEqual([
      'source',
      'mounts',
      'wizard',
      'source-check',
    ]);
  });

  it('copies the data with backup and restore and proves the row counts of every table', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const source = await deployWithWizard(s);
    const srcDb = await database('clone_src');
    const cloneDb = await database('clone_dst');
    await seedProject(srcDb.adminUrl, 20, 500);
    const seen: { composeId: string; appName: string; hasKeys: boolean }[] = [];
    const events: CloneEvent[] = [];
    const result = await cloneInstance({
      client: s.client,
      composeId: source.composeId,
      history: source.history,
      domain: { mode: 'own', host: 'copy.acme.dev' },
      secretsOutput: { mode: 'print' },
      data: {
        source: srcDb.adminUrl,
        // a function of the clone: here its database is the test kit's
        target: (clone) => {
          seen.push({
            composeId: clone.composeId,
            appName: clone.appName,
            hasKeys: Boolean(clone.env.ANON_KEY),
          });
          return cloneDb.adminUrl;
        },
      },
      fetch: s.fetch,
      onEvent: (e) => events.push(e),
      ...FAST,
    });
    expect(result.validation.ok).toBe(true);
    expect(seen).toEqual([
      { composeId: result.clone.composeId, appName: result.clone.appName, hasKeys: true },
    ]);
    const counts = Object.fromEntries(
      (result.data?.rowCounts ?? []).map((r) => [r.table, [r.source, r.clone]]),
    );
    expect(counts).toMatchObject({
      'public.orders': [500, 500],
      'public.profiles': [20, 20],
      'auth.users': [20, 20],
      'storage.buckets': [1, 1],
    });
    expect(result.data).toMatchObject({ strategy: 'backup-restore' });
    expect(result.data?.rows).toBeGreaterThanOrEqual(541);
    // counted again here, independently
    expect(await scalar(cloneDb.adminUrl, 'SELECT count(*) AS n FROM public.orders')).toBe(500);
    expect(await scalar(cloneDb.adminUrl, 'SELECT sum(total)::int AS n FROM public.orders')).toBe(
      await scalar(srcDb.adminUrl, 'SELECT sum(total)::int AS n FROM public.orders'),
    );
    expect(
      await scalar(
        cloneDb.adminUrl,
        'SELECT count(*) AS n FROM public.profiles p JOIN auth.users u USING (id)',
      ),
    ).toBe(20);
    // the temporary backup is gone (default storage), its id reported
    expect(result.data?.details).toMatchObject({ backupId: expect.any(String) });
    expect(result.data?.details).not.toHaveProperty('backup');
    // print mode: the secrets come back once, in the result
    const env = envOf((await s.client.compose.one({ composeId: result.clone.composeId })).env);
    expect(result.secrets?.JWT_SECRET).toBe(env.JWT_SECRET);
    expect(result.secrets?.POOLER_SESSION_URL).toContain(`postgres.${env.POOLER_TENANT_ID}:`);
    expect(JSON.stringify(events)).not.toContain(srcDb.password);
    const done = events.filter((e) => e.type === 'phase' && e.status === 'done');
    expect(done.map((e) => (e as { phase: string }).phase)).toEqual([
      'source',
      'mounts',
      'wizard',
      'data',
      'row-counts',
      'source-check',
    ]);
  });

  it('a copy strategy that leaves the clone short is caught by the row-count proof', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const source = await deployWithWizard(s);
    const srcDb = await database('short_src');
    const cloneDb = await database('short_dst');
    await seedProject(srcDb.adminUrl, 3, 40);
    const contexts: { source: string; target: string }[] = [];
    // the seam the migrator's table-by-table copy plugs into; this one forgets the orders
    const partial: DataCopyStrategy = {
      name: 'profiles-only',
      async copy(ctx) {
        contexts.push({ source: ctx.source, target: ctx.target });
        await seedProject(ctx.target, 3, 0);
        return { strategy: 'profiles-only' };
      },
    };
    const error = await cloneInstance({
      client: s.client,
      composeId: source.composeId,
      history: source.history,
      domain: { mode: 'own', host: 'short.acme.dev' },
      secretsOutput: { mode: 'print' },
      data: { source: srcDb.adminUrl, target: cloneDb.adminUrl, copy: partial },
      fetch: s.fetch,
      ...FAST,
    }).catch((e: unknown) => e);
    expect(RowCountMismatchError.isInstance(error)).toBe(true);
    const differences = (error as RowCountMismatchError).differences;
    expect(differences).toEqual([{ table: 'public.orders', source: 40, clone: 0 }]);
    expect((error as Error).message).toMatch(/public\.orders \(source 40, clone 0\).*Fix:/);
    expect(contexts).toEqual([{ source: srcDb.adminUrl, target: cloneDb.adminUrl }]);
  });
});
