import { execFileSync } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseEnv, toEnvRecord } from '@supaops/selfhost/env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV_EXAMPLE, json, runCli, type TempHome, tempHome } from './helpers/cli.js';
import { schemaErrors } from './helpers/schema.js';

const DEMO_SECRET = 'your-super-secret-jwt-token-with-at-least-32-characters-long';

let home: TempHome;
const run = (args: string[], input?: string, env: NodeJS.ProcessEnv = {}) =>
  runCli(args, {
    cwd: home.project,
    env: { ...home.env, ...env },
    ...(input === undefined ? {} : { input }),
  });

beforeAll(async () => {
  home = await tempHome();
});
afterAll(async () => {
  await home.cleanup();
});

describe('keys generate', () => {
  it('--json gives the full key set, and keys check accepts it (exit 0)', async () => {
    const generated = await run(['keys', 'generate', '--json']);
    expect(generated.code).toBe(0);
    const doc = json<{ env: Record<string, string>; variables: string[] }>(generated);
    expect(schemaErrors('keys-generate', doc)).toEqual([]);
    for (const name of ['JWT_SECRET', 'ANON_KEY', 'SERVICE_ROLE_KEY', 'POSTGRES_PASSWORD']) {
      expect(doc.env[name]).toBeTruthy();
    }
    expect(doc.env.JWT_KEYS).toBeUndefined();
    // stdout is not a terminal: no warning needed
    expect(generated.stderr).toBe('');

    const checked = await run(['keys', 'check', '--json'], generated.stdout);
    expect(checked.code).toBe(0);
    const report = json<{ ok: boolean; findings: unknown[] }>(checked);
    expect(schemaErrors('keys-check', report)).toEqual([]);
    expect(report).toMatchObject({ ok: true, source: 'stdin', findings: [] });
    expect(checked.stdout).not.toContain(doc.env.JWT_SECRET);
  });

  it('--new-style adds the ES256 signing keys and the sb_ keys; the .env text checks clean', async () => {
    const generated = await run(['keys', 'generate', '--new-style']);
    expect(generated.code).toBe(0);
    expect(generated.stdout).toMatch(/^JWT_KEYS='\[/m);
    expect(generated.stdout).toMatch(/^SUPABASE_PUBLISHABLE_KEY=sb_publishable_/m);
    expect(generated.stdout).toMatch(/^ANON_KEY_ASYMMETRIC=ey/m);
    const file = path.join(home.project, 'new-style.env');
    await writeFile(file, generated.stdout);
    const checked = await run(['keys', 'check', '--env', file]);
    expect(checked.code, checked.stdout).toBe(0);
    expect(checked.stdout).toContain('ok: 0 errors');
  });

  it('--out writes a 0600 file and prints no secret; refuses to overwrite without --force', async () => {
    const file = path.join(home.project, 'keys.env');
    const first = await run(['keys', 'generate', '--out', file, '--json']);
    expect(first.code).toBe(0);
    const doc = json(first);
    expect(schemaErrors('keys-generate', doc)).toEqual([]);
    expect(doc).toMatchObject({ written: file });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    const secret = /^JWT_SECRET=(.*)$/m.exec(text)?.[1];
    expect(secret).toBeTruthy();
    expect(first.stdout).not.toContain(secret);

    const again = await run(['keys', 'generate', '--out', file]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('OUTPUT_EXISTS');
    expect(await readFile(file, 'utf8')).toBe(text);
    expect((await run(['keys', 'generate', '--out', file, '--force'])).code).toBe(0);
    expect(await readFile(file, 'utf8')).not.toBe(text);
  });
  it('--out writes a file that a sourcing shell and docker compose read alike', async () => {
    for (const style of [[], ['--new-style']]) {
      const file = path.join(home.project, `sourced${style.length}.env`);
      const generated = await run(['keys', 'generate', ...style, '--out', file]);
      expect(generated.code, generated.stderr).toBe(0);
      const text = await readFile(file, 'utf8');
      // what compose hands the services (selfhost's compose-faithful parser)
      const compose = toEnvRecord(parseEnv(text));
      if (style.length > 0) expect(compose.JWT_JWKS).toMatch(/^\{"keys":\[\{/);
      // what `set -a; . ./file` exports in a POSIX sh (dash here), NUL-separated
      const exported = execFileSync('sh', ['-c', 'set -a; . "$1"; exec env -0', 'sh', file], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
        encoding: 'utf8',
      });
      const shell = Object.fromEntries(
        exported
          .split('\0')
          .filter((kv) => kv.includes('='))
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      );
      expect(Object.keys(compose).length).toBeGreaterThan(8);
      for (const [key, value] of Object.entries(compose)) expect(shell[key], key).toBe(value);
    }
  });
});

describe('keys check', () => {
  it('flags the demo secret and keys of the upstream env.example (exit 1), never printing the secret', async () => {
    const human = await run(['keys', 'check', '--env', ENV_EXAMPLE]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('JWT_SECRET_DEMO');
    expect(human.stdout).toMatch(/JWT_DEMO_KEY ANON_KEY/);
    expect(human.stdout).toMatch(/JWT_DEMO_KEY SERVICE_ROLE_KEY/);
    expect(human.stdout).toMatch(/fix: /);
    expect(human.stdout).toContain(`repair: supaops keys repair --env ${ENV_EXAMPLE} --write`);
    expect(human.stdout + human.stderr).not.toContain(DEMO_SECRET);

    const machine = await run(['keys', 'check', '--env', ENV_EXAMPLE, '--json']);
    expect(machine.code).toBe(1);
    const doc = json<{ ok: boolean; findings: Array<{ code: string; fix: string }> }>(machine);
    expect(schemaErrors('keys-check', doc)).toEqual([]);
    expect(doc.ok).toBe(false);
    const codes = doc.findings.map((f) => f.code);
    expect(codes).toContain('JWT_SECRET_DEMO');
    expect(codes.filter((c) => c === 'JWT_DEMO_KEY')).toHaveLength(2);
    for (const f of doc.findings) expect(f.fix.length).toBeGreaterThan(0);
    expect(machine.stdout).not.toContain(DEMO_SECRET);
  });

  it('reads an .env from stdin with --env -', async () => {
    const text = await readFile(ENV_EXAMPLE, 'utf8');
    const result = await run(['keys', 'check', '--env', '-'], text);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('JWT_SECRET_DEMO');
  });

  it('reads the keys of a configured instance with --instance', async () => {
    const generated = json<{ env: Record<string, string> }>(
      await run(['keys', 'generate', '--json']),
    );
    const config = path.join(home.project, 'keys-instance.json');
    await writeFile(
      config,
      JSON.stringify({
        version: 1,
        instances: {
          prod: {
            kind: 'self-hosted',
            api: {
              url: 'https://supabase.example.com',
              jwtSecret: 'env:T_JWT',
              anonKey: 'env:T_ANON',
              serviceRoleKey: 'env:T_SERVICE',
            },
          },
          bare: { kind: 'self-hosted' },
        },
        dokployServers: {},
      }),
    );
    const env = {
      T_JWT: generated.env.JWT_SECRET,
      T_ANON: generated.env.ANON_KEY,
      T_SERVICE: generated.env.SERVICE_ROLE_KEY,
    };
    const ok = await run(
      ['keys', 'check', '--instance', 'prod', '--config', config, '--json'],
      undefined,
      env,
    );
    expect(ok.code, ok.stdout).toBe(0);
    expect(json(ok)).toMatchObject({ source: 'instance', ok: true });

    const swapped = await run(
      ['keys', 'check', '--instance', 'prod', '--config', config],
      undefined,
      { ...env, T_ANON: generated.env.SERVICE_ROLE_KEY },
    );
    expect(swapped.code).toBe(1);
    expect(swapped.stdout).toMatch(/JWT_(ROLE_WRONG|IDENTICAL_KEYS|ROLES_SWAPPED)/);
    expect(swapped.stdout).not.toContain(generated.env.JWT_SECRET);

    const bare = await run(['keys', 'check', '--instance', 'bare', '--config', config, '--json']);
    expect(bare.code).toBe(4);
    expect(schemaErrors('error', json(bare))).toEqual([]);
    expect(json(bare)).toMatchObject({ error: { code: 'INSTANCE_NO_API' } });
  });

  it('usage errors: no input on a terminal-less run with both sources, an unreadable file', async () => {
    const both = await run(['keys', 'check', '--env', ENV_EXAMPLE, '--instance', 'x', '--json']);
    expect(both.code).toBe(2);
    expect(json(both)).toMatchObject({ error: { code: 'ENV_SOURCE_CONFLICT' } });
    const missing = await run([
      'keys',
      'check',
      '--env',
      path.join(home.project, 'nope.env'),
      '--json',
    ]);
    expect(missing.code).toBe(10);
    expect(schemaErrors('error', json(missing))).toEqual([]);
    const badJson = await run(['keys', 'check'], '{ not json');
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toContain('ENV_JSON_INVALID');
  });
});

describe('keys repair', () => {
  it('prints the plan with hidden values, then --write changes only the key lines', async () => {
    const original = await readFile(ENV_EXAMPLE, 'utf8');
    const file = path.join(home.project, 'repair.env');
    await writeFile(file, original);

    const plan = await run(['keys', 'repair', '--env', file]);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('Plan (values hidden)');
    expect(plan.stdout).toContain('JWT_SECRET');
    expect(plan.stdout).not.toContain(DEMO_SECRET);
    expect(await readFile(file, 'utf8')).toBe(original);

    const planJson = await run(['keys', 'repair', '--env', file, '--json']);
    const doc = json<{ needed: boolean; changes: string[]; written: boolean }>(planJson);
    expect(schemaErrors('keys-repair', doc)).toEqual([]);
    expect(doc).toMatchObject({ needed: true, rotateSecret: true, written: false });
    expect(doc.changes).toEqual(
      expect.arrayContaining(['JWT_SECRET', 'ANON_KEY', 'SERVICE_ROLE_KEY']),
    );

    const written = await run(['keys', 'repair', '--env', file, '--write', '--json']);
    expect(written.code, written.stdout).toBe(0);
    expect(json(written)).toMatchObject({ written: true, after: { ok: true } });
    const repaired = await readFile(file, 'utf8');
    const before = original.split('\n');
    const after = repaired.split('\n');
    expect(after.length).toBe(before.length);
    const changedNames = new Set(doc.changes);
    for (let i = 0; i < before.length; i++) {
      const name = /^([A-Z_]+)=/.exec(before[i]!)?.[1];
      if (name && changedNames.has(name)) expect(after[i]).not.toBe(before[i]);
      else expect(after[i]).toBe(before[i]);
    }
    for (const line of after.filter((l) => /^(JWT_SECRET|ANON_KEY|SERVICE_ROLE_KEY)=/.test(l))) {
      expect(written.stdout).not.toContain(line.split('=')[1]);
    }

    const checked = await run(['keys', 'check', '--env', file]);
    expect(checked.code).toBe(0);
    const nothing = await run(['keys', 'repair', '--env', file]);
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toContain('nothing to repair');
  });

  it('--write refuses Dokploy ciphertext and leaves the file as it was (exit 10)', async () => {
    const file = path.join(home.project, 'ciphertext.env');
    const ciphertext = `enc:v1:${Buffer.alloc(96, 9).toString('base64')}\n`;
    await writeFile(file, ciphertext);
    const result = await run(['keys', 'repair', '--env', file, '--write', '--json']);
    expect(result.code, result.stdout).toBe(10);
    expect(schemaErrors('error', json(result))).toEqual([]);
    expect(json(result)).toMatchObject({ error: { code: 'SELFHOST_ENV_CIPHERTEXT' } });
    expect(await readFile(file, 'utf8')).toBe(ciphertext);
  });

  it('--write needs a file', async () => {
    const result = await run(['keys', 'repair', '--write', '--json'], 'JWT_SECRET=x');
    expect(result.code).toBe(2);
    expect(json(result)).toMatchObject({ error: { code: 'REPAIR_WRITE_NEEDS_FILE' } });
  });
});
