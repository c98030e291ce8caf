import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMigrator } from '@supaops/migrator';
import { createTestDatabase, type TestDatabase } from '@supaops/testkit';
import { testServer } from '@supaops/testkit/vitest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ProductionConfirmationRequiredError,
  type PromoteEvent,
  PromoteReadError,
  promoteDeployment,
  rollback,
  updateCompose,
} from '../src/index.js';
import { calls, FAST, MIGRATION_FILES as FILES, scalar } from './clone-helpers.js';
import { deployWithWizard } from './deployed.js';
import { type SimulatedStack, startStack } from './stack.js';

const STUDIO = 'supabase/studio:2026.06.03-sha-0bca601';
const STUDIO_NEXT = 'supabase/studio:2026.08.03-sha-022b374';
const AUTH = 'supabase/gotrue:v2.189.0';
const AUTH_NEXT = 'supabase/gotrue:v2.190.0';

let stack: SimulatedStack | undefined;
const dbs: TestDatabase[] = [];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'selfhost-promote-'));
  await mkdir(join(dir, 'migrations'));
  for (const [name, text] of Object.entries(FILES))
    await writeFile(join(dir, 'migrations', name), text);
  return async () => {
    for (const db of dbs) await db.drop();
    await rm(dir, { recursive: true, force: true });
  };
});
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

async function database(label: string): Promise<TestDatabase> {
  const db = await createTestDatabase(testServer(), label);
  dbs.push(db);
  return db;
}

describe('promoteDeployment (Dokploy simulator + gateway simulator + PostgreSQL)', () => {
  it('dev → prod: refused without confirmation, then schema synced, images aligned, validated; rollback restores the compose file', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const dev = await deployWithWizard(s, 'shop-dev', 'dev.acme.dev');
    const prod = await deployWithWizard(s, 'shop', 'supabase.acme.dev');
    const migrations = join(dir, 'migrations');
    const devDb = await database('promote_dev');
    const prodDb = await database('promote_prod');
    await createMigrator({ connection: devDb.adminUrl, dir: migrations }).up();
    await createMigrator({ connection: prodDb.adminUrl, dir: migrations }).up({
      to: '20240101000000',
    });
    // dev runs newer images than prod
    const devFile = (await s.client.compose.one({ composeId: dev.composeId })).composeFile ?? '';
    await updateCompose({
      client: s.client,
      history: dev.history,
      composeId: dev.composeId,
      composeFile: devFile.replace(STUDIO, STUDIO_NEXT).replace(AUTH, AUTH_NEXT),
    });
    const prodFile = (await s.client.compose.one({ composeId: prod.composeId })).composeFile ?? '';
    expect(prodFile).toContain(STUDIO);
    const backups = join(dir, 'backups');
    const seen: string[] = [];
    const input = {
      source: {
        client: s.client,
        composeId: dev.composeId,
        database: (i: { composeId: string; env: Readonly<Record<string, string>> }) => {
          seen.push(`${i.composeId}:${Boolean(i.env.POOLER_TENANT_ID)}`);
          return devDb.adminUrl;
        },
      },
      target: {
        client: s.client,
        composeId: prod.composeId,
        history: prod.history,
        production: true,
        database: prodDb.adminUrl,
      },
      migrationsDir: migrations,
      backup: { storage: { type: 'local' as const, dir: backups }, encryption: false as const },
      alignImages: true,
      fetch: s.fetch,
      pollMs: 5,
      validateAttempts: FAST.validateAttempts,
      validateRetryMs: FAST.validateRetryMs,
    };
    const deploys = calls(s, 'compose.deploy');

    // production without the explicit confirmation: nothing happens
    const refused = await promoteDeployment(input).catch((e: unknown) => e);
    expect(ProductionConfirmationRequiredError.isInstance(refused)).toBe(true);
    expect((refused as Error).message).toMatch(/confirmProduction: true/);
    expect(seen).toEqual([]);
    await expect(readdir(backups)).rejects.toThrow();
    expect(
      await scalar(prodDb.adminUrl, "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'tags'"),
    ).toBe(0);

    // the dry run needs no confirmation and writes nothing
    const dry = await promoteDeployment({ ...input, dryRun: true });
    expect(dry.schema.applied.map((m) => m.version)).toEqual(['20240102000000', '20240103000000']);
    expect(dry.images).toMatchObject({
      written: false,
      changes: [
        { service: 'studio', from: STUDIO, to: STUDIO_NEXT },
        { service: 'auth', from: AUTH, to: AUTH_NEXT },
      ],
    });
    expect((await s.client.compose.one({ composeId: prod.composeId })).composeFile).toBe(prodFile);

    const events: PromoteEvent[] = [];
    const result = await promoteDeployment({
      ...input,
      confirmProduction: true,
      onEvent: (e) => events.push(e),
    });
    expect(seen).toEqual([`${dev.composeId}:true`, `${dev.composeId}:true`]);
    expect(result.dataCopied).toBe(false);
    expect(result.target.production).toBe(true);
    expect(result.schema.applied.map((m) => m.version)).toEqual([
      '20240102000000',
      '20240103000000',
    ]);
    expect(result.schema.histories.match).toBe(true);
    expect(result.schema.backup?.location).toBe(join(backups, result.schema.backup!.id));
    expect(
      await scalar(prodDb.adminUrl, "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'tags'"),
    ).toBe(1);
    // images aligned through the compose file, redeployed and validated
    expect(result.images?.written).toBe(true);
    expect(result).toMatchObject({ effective: true, needsRedeploy: false });
    expect(result.validation?.ok).toBe(true);
    expect(calls(s, 'compose.deploy')).toBe(deploys + 1);
    const aligned = (await s.client.compose.one({ composeId: prod.composeId })).composeFile ?? '';
    expect(aligned).toContain(STUDIO_NEXT);
    expect(aligned).toContain(AUTH_NEXT);
    // only the two image values changed
    expect(aligned.replace(STUDIO_NEXT, STUDIO).replace(AUTH_NEXT, AUTH)).toBe(prodFile);
    const order = events
      .filter((e) => e.type === 'phase' && e.status === 'done')
      .map((e) => (e as { phase: string }).phase);
    expect(order).toEqual(['read', 'schema', 'images', 'deploy']);

    // the change is in the history: rollback restores the previous compose file and redeploys
    const undone = await rollback({
      client: s.client,
      history: prod.history,
      composeId: prod.composeId,
      fetch: s.fetch,
      pollMs: 5,
      validateAttempts: 2,
      validateRetryMs: 5,
    });
    expect(undone.target).toMatchObject({ kind: 'compose.file', actor: 'promote' });
    expect(undone.validation?.ok).toBe(true);
    expect((await s.client.compose.one({ composeId: prod.composeId })).composeFile).toBe(prodFile);
    // the dev compose was never written by the promotion
    expect((await s.client.compose.one({ composeId: dev.composeId })).composeFile).toContain(
      STUDIO_NEXT,
    );
  });

  it('a staging target needs no confirmation; without alignImages only the schema moves', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const dev = await deployWithWizard(s, 'shop-dev', 'dev.acme.dev');
    const staging = await deployWithWizard(s, 'shop-staging', 'staging.acme.dev');
    const migrations = join(dir, 'migrations');
    const devDb = await database('promote_dev2');
    const stagingDb = await database('promote_stg');
    await createMigrator({ connection: devDb.adminUrl, dir: migrations }).up();
    const deploys = calls(s, 'compose.deploy');
    const result = await promoteDeployment({
      source: { client: s.client, composeId: dev.composeId, database: devDb.adminUrl },
      target: {
        client: s.client,
        composeId: staging.composeId,
        history: staging.history,
        database: stagingDb.adminUrl,
      },
      migrationsDir: migrations,
      backup: { storage: { type: 'local', dir: join(dir, 'backups-stg') }, encryption: false },
    });
    expect(result.schema.applied).toHaveLength(3);
    expect(result.images).toBeUndefined();
    expect(calls(s, 'compose.deploy')).toBe(deploys);

    const base = {
      source: { client: s.client, composeId: dev.composeId, database: devDb.adminUrl },
      target: {
        client: s.client,
        composeId: staging.composeId,
        history: staging.history,
        database: stagingDb.adminUrl,
      },
      migrationsDir: migrations,
      backup: {
        storage: { type: 'local' as const, dir: join(dir, 'backups-stg') },
        encryption: false as const,
      },
      alignImages: true,
    };
    // the same template on both: nothing to align, nothing written
    const same = await promoteDeployment(base);
    expect(same.images).toMatchObject({ changes: [], written: false });
    expect(same).toMatchObject({ effective: true, needsRedeploy: false });
    expect(same.schema.applied).toEqual([]);
    // a newer image on dev, without the redeploy: written, pending
    const devFile = (await s.client.compose.one({ composeId: dev.composeId })).composeFile ?? '';
    await s.client.compose.update({
      composeId: dev.composeId,
      composeFile: devFile.replace(AUTH, AUTH_NEXT),
    });
    const pending = await promoteDeployment({ ...base, redeploy: false });
    expect(pending.images).toMatchObject({
      written: true,
      changes: [{ service: 'auth', to: AUTH_NEXT }],
    });
    expect(pending).toMatchObject({ effective: false, needsRedeploy: true });
    expect(calls(s, 'compose.deploy')).toBe(deploys);
    // run again (say the first was cancelled before its redeploy): the images match now, but
    // the target never ran them, so it is redeployed; a third run has nothing left to do
    const resumed = await promoteDeployment({
      ...base,
      fetch: s.fetch,
      pollMs: 5,
      validateAttempts: FAST.validateAttempts,
      validateRetryMs: FAST.validateRetryMs,
    });
    expect(resumed.images).toMatchObject({ changes: [], written: false });
    expect(resumed).toMatchObject({ effective: true, needsRedeploy: false });
    expect(resumed.validation?.ok).toBe(true);
    expect(calls(s, 'compose.deploy')).toBe(deploys + 1);
    const settled = await promoteDeployment({
      ...base,
      fetch: s.fetch,
      pollMs: 5,
      validateAttempts: FAST.validateAttempts,
      validateRetryMs: FAST.validateRetryMs,
    });
    expect(settled).toMatchObject({ effective: true, needsRedeploy: false });
    expect(settled.deploymentId).toBeUndefined();
    expect(calls(s, 'compose.deploy')).toBe(deploys + 1);

    const unknown = await promoteDeployment({
      ...base,
      target: { ...base.target, composeId: 'nope' },
    }).catch((e: unknown) => e);
    expect(PromoteReadError.isInstance(unknown)).toBe(true);
    expect((unknown as Error).message).toMatch(/target compose nope could not be read.*Fix:/);
  });
});
