import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type S3Server, startS3Server } from '@supaops/s3-server';
import { testServer, useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, spawnCli } from './helpers/cli.js';
import { type Project, testProject } from './helpers/project.js';

const source = useTestDatabase('cli_bk_src');
const target = useTestDatabase('cli_bk_dst');
let project: Project;
let s3: S3Server;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  project = await testProject(source.current);
  s3 = await startS3Server({ buckets: ['backups'] });
  const seed = await project.run([
    'db',
    'sql',
    "create table public.orders (id int primary key, item text); insert into public.orders select g, 'item ' || g from generate_series(1, 500) g",
  ]);
  expect(seed.code, seed.stderr).toBe(0);
});
afterAll(async () => {
  await s3?.stop();
  await project?.cleanup();
});

describe('backup, local storage from the instance config', () => {
  let id: string;

  it('create stores an encrypted backup with progress on stderr', async () => {
    const human = await project.run(['backup', 'create', '--verbose', '--tag', 'env=test']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/created \S+ in .*encrypted/);
    expect(human.stderr).toMatch(/backup database: /);
    const doc = await project.runJson<{
      id: string;
      encrypted: boolean;
      parts: Array<{ name: string }>;
      rowCounts: { tables: number };
    }>('backup-create', ['backup', 'create']);
    expect(doc.encrypted).toBe(true);
    expect(doc.parts.map((p) => p.name)).toContain('database');
    expect(doc.rowCounts.tables).toBeGreaterThan(0);
    id = doc.id;
  });

  it('list shows both, oldest first', async () => {
    const human = await project.run(['backup', 'list']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(id);
    expect(human.stdout).toContain('env=test');
    const doc = await project.runJson<{ backups: Array<{ id: string }> }>('backup-list', [
      'backup',
      'list',
    ]);
    expect(doc.backups).toHaveLength(2);
    expect(doc.backups[1]!.id).toBe(id);
  });

  it('verify checks every part; a wrong key is a failed check (exit 1)', async () => {
    const human = await project.run(['backup', 'verify', id]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`verified ${id}`);
    const info = testServer();
    const scratch = `postgres://${info.superuser}:${encodeURIComponent(info.password)}@${info.host}:${info.port}/postgres`;
    const doc = await project.runJson('backup-verify', [
      'backup',
      'verify',
      id,
      '--restore-test',
      scratch,
      '--template',
      info.template,
    ]);
    expect(doc).toMatchObject({
      ok: true,
      manifestAuthentication: 'hmac',
      restoreTest: { rowCounts: { mismatches: [] } },
    });
    const wrong = await project.runJson(
      'backup-verify',
      ['backup', 'verify', id, '--passphrase-env', 'WRONG_KEY'],
      1,
      { env: { WRONG_KEY: 'not-the-passphrase-at-all' } },
    );
    expect(wrong).toMatchObject({ ok: false, error: { code: expect.stringMatching(/KEY|AUTH/) } });
    const missing = await project.run(['backup', 'verify', 'no-such-backup', '--json']);
    expect(missing.code).toBe(8);
  });

  it('restore asks first, then restores into an empty database with row counts checked', async () => {
    const unconfirmed = await project.run([
      'backup',
      'restore',
      id,
      '--target',
      target.current.url(),
    ]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--yes');
    const doc = await project.runJson<{
      database: string;
      rowCounts: { mismatches: unknown[]; checked: number };
    }>('backup-restore', ['backup', 'restore', id, '--target', target.current.url(), '--yes']);
    expect(doc.rowCounts.mismatches).toEqual([]);
    expect(doc.rowCounts.checked).toBeGreaterThan(0);
    const rows = json<{ rows: Array<{ n: number }> }>(
      await project.run([
        'db',
        'sql',
        'select count(*)::int as n from public.orders',
        '--db-url',
        target.current.url(),
        '--json',
      ]),
    );
    expect(rows.rows).toEqual([{ n: 500 }]);
    const again = await project.run([
      'backup',
      'restore',
      id,
      '--target',
      target.current.url(),
      '--yes',
    ]);
    expect(again.code).toBe(8);
    expect(again.stderr).toContain('fix:');
  });

  it('prune applies the configured retention (keep 2): dry run, then for real', async () => {
    expect((await project.run(['backup', 'create', '--quiet'])).code).toBe(0);
    const dry = await project.runJson<{ deleted: Array<{ id: string }>; kept: unknown[] }>(
      'backup-prune',
      ['backup', 'prune', '--dry-run'],
    );
    expect(dry.deleted).toHaveLength(1);
    expect(dry.kept).toHaveLength(2);
    expect((await project.run(['backup', 'prune'])).code).toBe(2);
    const human = await project.run(['backup', 'prune', '--yes']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('deleted');
    const left = await project.runJson<{ backups: unknown[] }>('backup-list', ['backup', 'list']);
    expect(left.backups).toHaveLength(2);
    const policy = await project.runJson('backup-prune', [
      'backup',
      'prune',
      '--keep-last',
      '5',
      '--dry-run',
    ]);
    expect(policy).toMatchObject({ policy: { keepLast: 5 }, deleted: [] });
  });
});

describe('backup to S3', () => {
  it('create, list and verify with --storage s3://…', async () => {
    const env = {
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      AWS_REGION: s3.region,
    };
    const flags = [
      '--storage',
      's3://backups/cli/',
      '--s3-endpoint',
      s3.endpoint,
      '--s3-path-style',
      '--s3-region',
      s3.region,
    ];
    const created = await project.runJson<{ id: string; storage: string }>(
      'backup-create',
      ['backup', 'create', ...flags],
      0,
      { env },
    );
    expect(created.storage).toContain('backups/cli/');
    expect(s3.stats.putObjects + s3.stats.multipartCompleted).toBeGreaterThan(0);
    const list = await project.runJson<{ backups: Array<{ id: string }> }>(
      'backup-list',
      ['backup', 'list', ...flags],
      0,
      { env },
    );
    expect(list.backups.map((b) => b.id)).toEqual([created.id]);
    const verified = await project.run(['backup', 'verify', created.id, ...flags], { env });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const noStorage = await project.run([
      'backup',
      'list',
      '--db-url',
      source.current.url(),
      '--json',
    ]);
    expect(noStorage.code).toBe(2);
    expect(json(noStorage)).toMatchObject({ error: { code: 'BACKUP_STORAGE_MISSING' } });
  });
});

describe('backup keys and integrity', () => {
  it('a 32-byte hex encryptionKey is a raw key; a corrupted part is a failed check (exit 1)', async () => {
    const raw = randomBytes(32).toString('hex');
    project.secrets.push(raw);
    const env = { SUPAOPS_TEST_BACKUP_KEY: raw, RAW_KEY: raw };
    const dir = path.join(project.project, 'raw-key-backups');
    const created = await project.runJson<{ id: string; encrypted: boolean }>(
      'backup-create',
      ['backup', 'create', '--storage', dir],
      0,
      { env },
    );
    expect(created.encrypted).toBe(true);
    // the configured value was used as the key itself: --key-env opens it, the same text as a
    // passphrase is the wrong kind of key (an error, not a finding about the backup)
    const asKey = await project.run(
      ['backup', 'verify', created.id, '--storage', dir, '--key-env', 'RAW_KEY'],
      { env },
    );
    expect(asKey.code, asKey.stderr).toBe(0);
    const asPassphrase = await project.run(
      ['backup', 'verify', created.id, '--storage', dir, '--passphrase-env', 'RAW_KEY', '--json'],
      { env },
    );
    expect(asPassphrase.code, asPassphrase.stdout).toBe(8);
    expect(json(asPassphrase)).toMatchObject({ error: { code: 'BACKUP_KEY_KIND_MISMATCH' } });

    const parts = (await filesUnder(dir)).filter((f) => !/manifest/.test(path.basename(f)));
    const part = parts.sort((a, b) => b.length - a.length)[0]!;
    const bytes = await readFile(part);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    await writeFile(part, bytes);
    const corrupted = await project.runJson<{ ok: boolean; error: { code: string } }>(
      'backup-verify',
      ['backup', 'verify', created.id, '--storage', dir],
      1,
      { env },
    );
    expect(corrupted.ok).toBe(false);
    expect(corrupted.error.code).toMatch(
      /^BACKUP_(CHUNK_AUTH_FAILED|HASH_MISMATCH|TRUNCATED|FORMAT_INVALID)$/,
    );
  });
});

describe('SIGINT during a backup', () => {
  it('exits 130 and leaves no partial file', async () => {
    const seed = await project.run(
      [
        'db',
        'sql',
        'create table public.big as select g as id, repeat(md5(g::text), 16) as payload from generate_series(1, 120000) g',
      ],
      { timeoutMs: 120_000 },
    );
    expect(seed.code, seed.stderr).toBe(0);
    const dir = path.join(project.project, 'sigint-backups');
    const child = spawnCli(
      [
        'backup',
        'create',
        '--storage',
        dir,
        '--no-encryption',
        '--compression',
        'none',
        '--verbose',
      ],
      { cwd: project.project, env: project.env },
    );
    child.stdin.end();
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    const started = new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/backup database: /.test(stderr)) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on('close', (code) => resolve(code)),
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    await Promise.race([started, exited]);
    child.kill('SIGINT');
    const code = await exited;
    clearTimeout(timer);
    expect(code, stderr + stdout).toBe(130);
    expect(stderr).toContain('BACKUP_ABORTED');
    expect(await filesUnder(dir)).toEqual([]);
    for (const secret of project.secrets) expect(stderr + stdout).not.toContain(secret);
  });
});
