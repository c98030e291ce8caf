import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_ANON_KEY, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY } from '@supaops/supabase-jwt';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connected, failed, inProcess, ok } from './helpers/clients.js';
import { createFixture, type Fixture } from './helpers/fixture.js';

const db = useTestDatabase('mcp_keys');
let fx: Fixture;
let server: Connected;

const DEMO_ENV = `JWT_SECRET=${DEMO_JWT_SECRET}\nANON_KEY=${DEMO_ANON_KEY}\nSERVICE_ROLE_KEY=${DEMO_SERVICE_ROLE_KEY}\n`;

interface Check {
  source: string;
  ok: boolean;
  findings: { code: string; severity: string; message: string }[];
}

beforeAll(async () => {
  fx = await createFixture(db.current);
  server = await inProcess({ cwd: fx.project, env: fx.env, secrets: fx.secrets });
});

afterAll(async () => {
  await server?.close();
  await fx?.cleanup();
});

describe('instances', () => {
  it('list_instances shows every instance without secrets', async () => {
    const res = ok<{
      instances: { name: string; isDefault: boolean; production: boolean; hasDatabase: boolean }[];
    }>(await server.call('list_instances'));
    expect(res.instances.map((i) => [i.name, i.isDefault, i.production, i.hasDatabase])).toEqual([
      ['dev', true, false, true],
      ['down', false, false, true],
      ['open', false, false, false],
      ['prod', false, true, true],
    ]);
  });

  it('check_connection connects and reports the diagnosis and network', async () => {
    const res = ok<{
      connected: boolean;
      server: { version: string; user: string };
      target: string;
      mode: string;
      network: { resolves: boolean };
    }>(await server.call('check_connection', { purpose: 'migrations' }));
    expect(res.connected).toBe(true);
    expect(res.server.version).toMatch(/^\d+/);
    expect(res.target).toContain('***');
    expect(res.mode).toBe('direct');
    expect(res.network.resolves).toBe(true);
  });

  it('check_connection explains a refused connection', async () => {
    const res = ok<{ connected: boolean; error: { code: string; message: string } }>(
      await server.call('check_connection', { instance: 'down' }),
    );
    expect(res.connected).toBe(false);
    expect(res.error.code).toBe('CONNECTION_FAILED');
    expect(res.error.message).toMatch(/Fix/);
  });

  it('an unknown instance lists the known ones', async () => {
    const error = failed(await server.call('execute_sql', { instance: 'nope', sql: 'SELECT 1' }));
    expect(error.code).toBe('INSTANCE_NOT_FOUND');
    expect(error.message).toMatch(/dev/);
  });

  it('an instance without a database says how to add one', async () => {
    const error = failed(await server.call('execute_sql', { instance: 'open', sql: 'SELECT 1' }));
    expect(error.code).toBe('MCP_INSTANCE_UNSUPPORTED');
  });
});

describe('keys', () => {
  it('check_keys finds the public demo keys in an env text', async () => {
    const res = ok<Check>(await server.call('check_keys', { env: DEMO_ENV }));
    expect(res.ok).toBe(false);
    expect(res.source).toBe('env text');
    expect(res.findings.map((f) => f.code)).toContain('JWT_SECRET_DEMO');
  });

  it('check_keys reads a .env file and an instance', async () => {
    const file = join(fx.root, 'demo.env');
    await writeFile(file, DEMO_ENV);
    const fromFile = ok<Check>(await server.call('check_keys', { file: '../demo.env' }));
    expect(fromFile.source).toBe(file);
    expect(fromFile.ok).toBe(false);
    const fromInstance = ok<Check>(await server.call('check_keys', {}));
    expect(fromInstance.source).toBe('instance dev');
    expect(fromInstance.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const both = failed(await server.call('check_keys', { env: DEMO_ENV, file }));
    expect(both.message).toMatch(/Fix:/);
  });

  it('plan_key_repair of a healthy env plans nothing and writes nothing', async () => {
    const first = ok<{ confirmation: { token: string; summary: string } }>(
      await server.call('plan_key_repair', {}),
    );
    expect(first.confirmation.summary).toMatch(/Nothing to repair in instance dev/);
    const done = ok<{ needed: boolean; file?: string }>(
      await server.call('plan_key_repair', { confirmationToken: first.confirmation.token }),
    );
    expect(done.needed).toBe(false);
    expect(done.file).toBeUndefined();
  });

  it('generate_keys writes a 0600 file and returns no value', async () => {
    const res = ok<{ file: string; variables: string[]; summary: string[] }>(
      await server.call('generate_keys', { newStyleKeys: true }),
    );
    expect(res.variables).toEqual(
      expect.arrayContaining(['JWT_SECRET', 'ANON_KEY', 'SERVICE_ROLE_KEY', 'JWT_KEYS']),
    );
    expect((await stat(res.file)).mode & 0o777).toBe(0o600);
    const text = await readFile(res.file, 'utf8');
    const secret = /^JWT_SECRET=(.+)$/m.exec(text)?.[1];
    expect(secret?.length).toBeGreaterThanOrEqual(32);
    expect(JSON.stringify(res)).not.toContain(secret);
    const again = failed(await server.call('generate_keys', { file: res.file }));
    expect(again.message).toMatch(/does not exist yet/);
  });

  it('plan_key_repair shows the plan, then writes the new values to a file after confirmation', async () => {
    const out = join(fx.root, 'repaired.env');
    const first = ok<{
      confirmation: { token: string; summary: string; dryRun: { changes: string[] } };
    }>(await server.call('plan_key_repair', { env: DEMO_ENV, out }));
    expect(first.confirmation.summary).toMatch(/rotating JWT_SECRET/);
    expect(first.confirmation.dryRun.changes.length).toBeGreaterThan(0);
    await expect(stat(out)).rejects.toThrow();
    const done = ok<{ file: string; needed: boolean; afterOk: boolean; summary: string[] }>(
      await server.call('plan_key_repair', {
        env: DEMO_ENV,
        out,
        confirmationToken: first.confirmation.token,
      }),
    );
    expect(done).toMatchObject({ file: out, needed: true, afterOk: true });
    const written = await readFile(out, 'utf8');
    expect(written).toMatch(/^ANON_KEY=eyJ/m);
    const newAnon = /^ANON_KEY=(.+)$/m.exec(written)?.[1] as string;
    expect(JSON.stringify(done)).not.toContain(newAnon);
  });
});

describe('key repair in an existing .env file', () => {
  // comments, CRLF, export, quotes and an inline comment: all must survive the rewrite (no
  // comment after a closing quote: selfhost's parser refuses that on CRLF lines for now)
  const ORIGINAL = [
    '# Supabase secrets\r\n',
    `JWT_SECRET=${DEMO_JWT_SECRET}\r\n`,
    '\r\n',
    `export ANON_KEY=${DEMO_ANON_KEY}   # the public key\r\n`,
    `SERVICE_ROLE_KEY='${DEMO_SERVICE_ROLE_KEY}'\r\n`,
    'POSTGRES_HOST = db\r\n',
    'SITE_URL="http://localhost:3000"\r\n',
    'KONG_HTTP_PORT=8000',
  ].join('');
  const CHANGED = /^(export )?(JWT_SECRET|ANON_KEY|SERVICE_ROLE_KEY)\s*=/;

  it('the confirmed call writes the new values into the file, every other line byte-identical, and keeps a .bak', async () => {
    const file = join(fx.root, 'stack.env');
    await writeFile(file, ORIGINAL);
    await chmod(file, 0o640);
    const first = ok<{ confirmation: { token: string; summary: string } }>(
      await server.call('plan_key_repair', { file }),
    );
    expect(first.confirmation.summary).toContain(`into ${file}`);
    expect(await readFile(file, 'utf8')).toBe(ORIGINAL);
    const done = ok<{ file: string; backup: string; needed: boolean; afterOk: boolean }>(
      await server.call('plan_key_repair', { file, confirmationToken: first.confirmation.token }),
    );
    expect(done).toMatchObject({ file, backup: `${file}.bak`, needed: true, afterOk: true });
    expect(await readFile(`${file}.bak`, 'utf8')).toBe(ORIGINAL);
    expect((await stat(`${file}.bak`)).mode & 0o777).toBe(0o600);
    expect((await stat(file)).mode & 0o777).toBe(0o640);

    const written = await readFile(file, 'utf8');
    const before = ORIGINAL.split('\r\n');
    const after = written.split('\r\n');
    expect(after).toHaveLength(before.length);
    for (const [i, line] of before.entries()) {
      if (CHANGED.test(line)) expect(after[i], line.slice(0, 12)).not.toBe(line);
      else expect(after[i]).toBe(line);
    }
    // the rewritten lines keep their export, quotes and inline comment
    expect(after[3]).toMatch(/^export ANON_KEY=eyJ\S+ {3}# the public key$/);
    expect(after[4]).toMatch(/^SERVICE_ROLE_KEY='eyJ[^']+'$/);
    expect(written).not.toContain(DEMO_ANON_KEY);
    const newAnon = /ANON_KEY=(\S+)/.exec(written)?.[1] as string;
    expect(JSON.stringify(done)).not.toContain(newAnon);
    // the repaired file now passes
    const check = ok<Check>(await server.call('check_keys', { file }));
    expect(check.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('refuses ciphertext and out with file before planning anything', async () => {
    const file = join(fx.root, 'cipher.env');
    const cipher = `enc:v1:${Buffer.from('x'.repeat(64)).toString('base64')}`;
    await writeFile(file, cipher);
    const refused = failed(await server.call('plan_key_repair', { file }));
    expect(refused.code).toBe('SELFHOST_ENV_CIPHERTEXT');
    expect(refused.message).toMatch(/Fix:/);
    expect(failed(await server.call('check_keys', { file })).code).toBe('SELFHOST_ENV_CIPHERTEXT');
    expect(await readFile(file, 'utf8')).toBe(cipher);
    const both = failed(
      await server.call('plan_key_repair', { file, out: join(fx.root, 'x.env') }),
    );
    expect(both.message).toMatch(/drop out/);
  });
});

describe('development', () => {
  it('get_project_url returns the API URL', async () => {
    expect(ok(await server.call('get_project_url'))).toEqual({
      instance: 'dev',
      url: 'http://127.0.0.1:54321',
    });
  });

  it('an instance without an API says how to add one', async () => {
    expect(failed(await server.call('get_project_url', { instance: 'down' })).message).toMatch(
      /"api"/,
    );
    expect(failed(await server.call('get_publishable_keys', { instance: 'down' })).code).toBe(
      'MCP_INSTANCE_UNSUPPORTED',
    );
  });

  it('get_publishable_keys returns the anon key but never the service key', async () => {
    const res = ok<{ keys: { name: string; value: string }[] }>(
      await server.call('get_publishable_keys'),
    );
    expect(res.keys).toEqual([{ name: 'anon', type: 'legacy', value: fx.anonKey }]);
  });

  it('returns the service key only for an instance that allows it', async () => {
    const res = ok<{ keys: { name: string; value: string }[] }>(
      await server.call(
        'get_publishable_keys',
        { instance: 'open' },
        { allow: [fx.openServiceKey] },
      ),
    );
    expect(res.keys.map((k) => k.name)).toEqual(['anon', 'service_role']);
    expect(res.keys[1]?.value).toBe(fx.openServiceKey);
  });
});
