import { type DokploySimulator, startDokploySimulator } from '@supaops/dokploy-simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { diagnoseKeys, planKeyRepair } from '../src/index.js';
import { handVerifyHs256 } from './helpers.js';

/**
 * End to end against the loopback Dokploy simulator: deploy the bundled Supabase template at a
 * given Dokploy version over HTTP, read the generated env back, and judge / repair its keys.
 */

let sim: DokploySimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

async function call<T>(procedure: string, body: unknown): Promise<T> {
  if (!sim) throw new Error('simulator not started');
  const response = await fetch(`${sim.url}/api/${procedure}`, {
    method: 'POST',
    headers: { 'x-api-key': sim.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${procedure} answered ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match) env[match[1] as string] = match[2] as string;
  }
  return env;
}

function serializeEnv(base: string, changes: Record<string, string>): string {
  const seen = new Set<string>();
  const lines = base.split('\n').map((line) => {
    const name = /^([A-Z0-9_]+)=/.exec(line)?.[1];
    if (name && changes[name] !== undefined) {
      seen.add(name);
      return `${name}=${changes[name]}`;
    }
    return line;
  });
  for (const [name, value] of Object.entries(changes))
    if (!seen.has(name)) lines.push(`${name}=${value}`);
  return lines.join('\n');
}

async function deploySupabase(version: string) {
  sim = await startDokploySimulator({ version });
  const created = await call<{ environment: { environmentId: string } }>('project.create', {
    name: 'shop',
  });
  const compose = await call<{ composeId: string; env: string }>('compose.deployTemplate', {
    environmentId: created.environment.environmentId,
    id: 'supabase',
  });
  return compose;
}

describe('Supabase template deployed by the Dokploy simulator', () => {
  it('Dokploy 0.25.5: finds template bug A, repairs it, and the repaired env round-trips clean', async () => {
    const compose = await deploySupabase('0.25.5');
    const env = parseEnv(compose.env);
    expect(env.ANON_KEY).toBe(env.SERVICE_ROLE_KEY); // the bug, as Dokploy produces it
    const diagnosis = diagnoseKeys(env);
    expect(diagnosis.ok).toBe(false);
    const found = diagnosis.findings.map((item) => `${item.code}:${item.variable}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'JWT_IDENTICAL_KEYS:ANON_KEY',
        'JWT_ROLE_MISSING:ANON_KEY',
        'JWT_ROLE_MISSING:SERVICE_ROLE_KEY',
        'JWT_ISS_DOKPLOY:ANON_KEY',
        'JWT_EXP_DOKPLOY_FIXED_DATE:ANON_KEY',
      ]),
    );
    expect(found).not.toContain('JWT_SIGNATURE_INVALID:ANON_KEY'); // Dokploy signs with the raw secret
    expect(diagnosis.findings[0]?.message).toContain('Dokploy template bug A');

    const plan = await planKeyRepair(env);
    expect(plan.rotateSecret).toBe(false); // ${password:32} is a sound secret
    expect(Object.keys(plan.changes).sort()).toEqual(['ANON_KEY', 'SERVICE_ROLE_KEY']);
    expect(handVerifyHs256(plan.changes.ANON_KEY as string, env.JWT_SECRET as string)).toBe(true);
    expect(plan.consequences.restartServices).toContain('kong');

    await call('compose.update', {
      composeId: compose.composeId,
      env: serializeEnv(compose.env, plan.changes),
    });
    const after = await fetch(`${sim?.url}/api/compose.one?composeId=${compose.composeId}`, {
      headers: { 'x-api-key': sim?.apiKey as string },
    }).then((response) => response.json() as Promise<{ env: string }>);
    const repaired = diagnoseKeys(parseEnv(after.env));
    expect(repaired.findings).toEqual([]);
  });

  it('Dokploy 0.25.6: role claims are right; only the fixed 2030 expiry is reported', async () => {
    const compose = await deploySupabase('0.25.6');
    const env = parseEnv(compose.env);
    expect(env.ANON_KEY).not.toBe(env.SERVICE_ROLE_KEY);
    const diagnosis = diagnoseKeys(env);
    expect(diagnosis.ok).toBe(true);
    expect(diagnosis.findings.map((item) => `${item.code}:${item.variable}`).sort()).toEqual([
      'JWT_EXP_DOKPLOY_FIXED_DATE:ANON_KEY',
      'JWT_EXP_DOKPLOY_FIXED_DATE:SERVICE_ROLE_KEY',
    ]);
    expect(diagnosis.findings[0]?.severity).toBe('warning');
  });
});
