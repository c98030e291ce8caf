import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createHistoryStore, parseEnv, toEnvRecord, validateDeployment } from '@supaops/selfhost';
import { describe, expect, it } from 'vitest';
import { json, runCli, type TempHome } from './helpers/cli.js';
import { expectAbsent, secretValues, useDokployInstances } from './helpers/dokploy-instance.js';
import { schemaErrors } from './helpers/schema.js';
import type { CliStack } from './helpers/stack.js';

const stacks = useDokployInstances();

// biome-ignore lint/suspicious/noExplicitAny: a --json document, checked against its schema first
type Doc = Record<string, any>;

/** The Supabase template as Dokploy 0.25.5 deploys it (identical, role-less keys), registered as `shop`. */
const brokenInstance = (production = false) => stacks.deploy('0.25.5', { production });

const run = (h: TempHome, args: string[]) => runCli(args, { cwd: h.project, env: h.env });

/** The checks through the stack's tunnel, as --validate-via does. */
function tunnelFetch(s: CliStack): typeof fetch {
  return (input, init) => {
    const url = new URL(String(input));
    const headers = new Headers(init?.headers);
    headers.set('x-forwarded-host', url.host);
    headers.set('x-forwarded-proto', url.protocol.replace(':', ''));
    return fetch(`${s.tunnel}${url.pathname}${url.search}`, { ...init, headers });
  };
}

describe('keys repair --instance (Dokploy simulator 0.25.5 + gateway simulator)', () => {
  it('identical role-less keys: validation fails before, the repair passes it after', async () => {
    const { s, h, composeId, env: original, host } = await brokenInstance();
    const keys = toEnvRecord(parseEnv(original));
    expect(keys.ANON_KEY).toBe(keys.SERVICE_ROLE_KEY);
    const before = await validateDeployment({
      publicUrl: `http://${host}`,
      anonKey: keys.ANON_KEY as string,
      serviceKey: keys.SERVICE_ROLE_KEY as string,
      fetch: tunnelFetch(s),
      attempts: 1,
    });
    expect(before.ok).toBe(false);
    const secrets = secretValues(original);

    const dry = await run(h, ['keys', 'repair', '--instance', 'shop', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(1);
    const plan = json<Doc>(dry);
    expect(schemaErrors('keys-repair-instance', plan)).toEqual([]);
    expect(plan).toMatchObject({ needed: true, applied: false, dryRun: true });
    expect(plan.changedKeys.sort()).toEqual(['ANON_KEY', 'SERVICE_ROLE_KEY']);
    expect(plan.diff).toMatch(/~ ANON_KEY: eyJh…/);
    expect((await s.client.compose.one({ composeId })).env).toBe(original);
    expectAbsent(dry, [...secrets, s.sim.apiKey]);

    const refused = await run(h, ['keys', 'repair', '--instance', 'shop']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/CONFIRMATION_REQUIRED/);
    expect(refused.stderr).toMatch(/~ ANON_KEY/);

    const applied = await run(h, [
      'keys',
      'repair',
      '--instance',
      'shop',
      '--yes',
      '--validate-via',
      s.tunnel,
      '--poll-interval',
      '5',
      '--json',
    ]);
    expect(applied.code, applied.stderr).toBe(0);
    const doc = json<Doc>(applied);
    expect(schemaErrors('keys-repair-instance', doc)).toEqual([]);
    expect(doc.applied).toBe(true);
    expect(doc.validation.ok).toBe(true);
    const after = (await s.client.compose.one({ composeId })).env ?? '';
    expectAbsent(applied, [...secrets, ...secretValues(after), s.sim.apiKey]);
    // every line that was not repaired is byte-identical
    const changed = new Set([
      ...plan.changedKeys,
      'SUPABASE_PUBLIC_URL',
      'API_EXTERNAL_URL',
      'SUPABASE_HOST',
      'ADDITIONAL_REDIRECT_URLS',
    ]);
    const a = original.split('\n');
    const b = after.split('\n');
    expect(b.length).toBe(a.length);
    a.forEach((line, i) => {
      if (!changed.has(line.split('=')[0] as string)) expect(b[i]).toBe(line);
    });
    const kinds = (await createHistoryStore(doc.historyDir).list()).map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(['compose.env', 'compose.deploy']));
    // the audit log has the run, without a secret
    const audit = await run(h, ['audit', '--action', 'keys repair', '--json']);
    expect(audit.stdout).toMatch(/"outcome": "ok"/);
    expect(audit.stdout).toMatch(/"outcome": "dry-run"/);
    expectAbsent(audit, secrets);
    // repaired: nothing more to do
    const again = await run(h, ['keys', 'repair', '--instance', 'shop', '--dry-run', '--json']);
    expect(json<Doc>(again).changedKeys).toEqual([]);
  });
});

describe('env set / unset', () => {
  it('on a file: other lines byte-identical (comments, export, spacing, quoting), secrets never printed', async () => {
    const home = await stacks.home();
    const file = path.join(home.project, '.env');
    // LF: selfhost's parser reads `"…" # comment` followed by CR as text after the quote (a gap)
    const original =
      '# Supabase\nexport SITE_URL = "http://localhost:3000" # the app\n\nJWT_SECRET=\'a-super-secret-value-that-is-long-123\'\nODD=  spaced  \nOPENAI_API_KEY=sk-proj-xxxxxxxx\n';
    await writeFile(file, original);
    const set = await run(home, [
      'env',
      'set',
      'SITE_URL=https://app.acme.dev',
      'SMTP_PASS=new smtp pass value',
      '--env',
      '.env',
      '--json',
    ]);
    expect(set.code, set.stderr).toBe(0);
    const doc = json<Doc>(set);
    expect(schemaErrors('env-set', doc)).toEqual([]);
    expect(doc).toMatchObject({ changed: ['SITE_URL'], added: ['SMTP_PASS'], written: true });
    expectAbsent(set, ['a-super-secret-value-that-is-long-123', 'new smtp pass value']);
    const text = await readFile(file, 'utf8');
    const a = original.split('\n');
    const b = text.split('\n');
    expect(b[1]).toBe('export SITE_URL = "https://app.acme.dev" # the app');
    for (const i of [0, 2, 3, 4, 5]) expect(b[i]).toBe(a[i]);
    expect(b[6]).toBe('SMTP_PASS=new smtp pass value');
    expect(toEnvRecord(parseEnv(text)).SMTP_PASS).toBe('new smtp pass value');

    const unset = await run(home, ['env', 'unset', 'OPENAI_API_KEY', '--env', '.env', '--json']);
    expect(unset.code, unset.stderr).toBe(0);
    expect(schemaErrors('env-unset', json(unset))).toEqual([]);
    const after = await readFile(file, 'utf8');
    expect(after).toBe(text.replace('OPENAI_API_KEY=sk-proj-xxxxxxxx\n', ''));

    const bad = await run(home, ['env', 'set', 'NOEQUALS', '--env', '.env']);
    expect(bad.code).toBe(2);
    const both = await run(home, ['env', 'set', 'A=1']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/ENV_TARGET_REQUIRED/);
  });

  it('on an instance: recorded in the history, written, redeployed; a production instance asks', async () => {
    const { s, h, composeId, env: original } = await brokenInstance(true);
    const refused = await run(h, ['env', 'set', 'SMTP_HOST=smtp.acme.dev', '--instance', 'shop']);
    expect(refused.code).toBe(2);
    expect((await s.client.compose.one({ composeId })).env).toBe(original);
    const deploysBefore = (await s.client.deployment.allByCompose({ composeId })).length;
    const result = await run(h, [
      'env',
      'set',
      'SMTP_HOST=smtp.acme.dev',
      '--instance',
      'shop',
      '--yes',
      '--redeploy',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const doc = json<Doc>(result);
    expect(schemaErrors('env-set', doc)).toEqual([]);
    expect(doc).toMatchObject({
      target: 'instance',
      changed: ['SMTP_HOST'],
      written: true,
      redeployed: true,
    });
    const after = (await s.client.compose.one({ composeId })).env ?? '';
    expect(toEnvRecord(parseEnv(after)).SMTP_HOST).toBe('smtp.acme.dev');
    expect(after.split('\n').filter((l) => !l.startsWith('SMTP_HOST='))).toEqual(
      original.split('\n').filter((l) => !l.startsWith('SMTP_HOST=')),
    );
    expect((await s.client.deployment.allByCompose({ composeId })).length).toBe(deploysBefore + 1);
    // selfhost's historyDir: one store per Dokploy server, shared with the MCP server
    expect(doc.historyDir).toMatch(/[/\\]history[/\\]sim$/);
    const records = await createHistoryStore(doc.historyDir).list();
    expect(records.map((r) => r.kind)).toEqual(['compose.env', 'compose.deploy']);
    expect(records[0]?.before).toBe(original);
    expectAbsent(result, [...secretValues(original), s.sim.apiKey]);
  });
});
