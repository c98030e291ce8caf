// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is Dokploy's template syntax here
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BUNDLED_COMPOSE_FILE,
  BUNDLED_TEMPLATE_TOML,
  createHistoryStore,
  importTemplate,
  TemplateInvalidError,
  validateTemplate,
} from '../src/index.js';
import { DOKPLOY_COMPOSE, DOKPLOY_TEMPLATE_TOML } from './helpers.js';
import { type SimulatedStack, startStack } from './stack.js';

let stack: SimulatedStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const REFERENCE = '/work/shared/reference/dokploy/supabase-template';
const reference = (name: string) => readFileSync(join(REFERENCE, name), 'utf8');

/** The Supabase template deployed by Dokploy itself: 15 file mounts and the kong domain. */
async function templateCompose(s: SimulatedStack): Promise<string> {
  const { environment } = await s.client.project.create({ name: 'shop' });
  const c = await s.client.compose.deployTemplate({
    environmentId: environment?.environmentId as string,
    id: 'supabase',
  });
  return c.composeId;
}

async function children(s: SimulatedStack, composeId: string) {
  const c = await s.client.compose.one({ composeId });
  return { mounts: c.mounts?.length ?? 0, domains: c.domains?.length ?? 0, env: c.env ?? '' };
}

const imports = (s: SimulatedStack) =>
  s.sim.requests.filter((r) => r.procedure === 'compose.import').length;

describe('the template check before compose.import (Dokploy simulator)', () => {
  it('a bad template is refused before import: the mounts and domains stay; sent as is, Dokploy loses them', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const composeId = await templateCompose(s);
    const before = await children(s, composeId);
    expect(before).toMatchObject({ mounts: 15, domains: 1 });
    const history = createHistoryStore(join(s.dir, 'history'));
    // a TOML syntax error (what Dokploy's parse() throws on after the deletes)
    const badToml = `${DOKPLOY_TEMPLATE_TOML}\n[[config.mounts]\nfilePath = "/x"\n`;
    const error = await importTemplate({
      client: s.client,
      history,
      composeId,
      compose: DOKPLOY_COMPOSE,
      config: badToml,
      placeholderMounts: 'warning',
    }).catch((e: unknown) => e);
    expect(TemplateInvalidError.isInstance(error)).toBe(true);
    expect((error as TemplateInvalidError).findings[0]?.code).toBe('TEMPLATE_TOML_INVALID');
    // a parseable template that routes to a service the compose lacks (api-gw renamed, #1131)
    const renamed = DOKPLOY_TEMPLATE_TOML.replace('serviceName = "kong"', 'serviceName = "api-gw"');
    const second = await importTemplate({
      client: s.client,
      history,
      composeId,
      compose: DOKPLOY_COMPOSE,
      config: renamed,
      placeholderMounts: 'warning',
    }).catch((e: unknown) => e);
    expect(TemplateInvalidError.isInstance(second)).toBe(true);
    expect((second as Error).message).toMatch(
      /TEMPLATE_DOMAIN_SERVICE_UNKNOWN at config\.domains\[0\]\.serviceName/,
    );
    expect(imports(s)).toBe(0);
    expect(await children(s, composeId)).toEqual(before);
    expect(await history.list()).toEqual([]);

    // what the check prevents: Dokploy deletes first, then fails to parse
    const base64 = Buffer.from(
      JSON.stringify({ compose: DOKPLOY_COMPOSE, config: badToml }),
    ).toString('base64');
    await expect(s.client.compose.import({ composeId, base64 })).rejects.toThrow(
      /Error importing template/,
    );
    expect(await children(s, composeId)).toMatchObject({ mounts: 0, domains: 0 });
  });

  it('a sound template is imported, recorded first with what it replaces', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const composeId = await templateCompose(s);
    const before = await children(s, composeId);
    const history = createHistoryStore(join(s.dir, 'history'));
    const result = await importTemplate({
      client: s.client,
      history,
      composeId,
      compose: BUNDLED_COMPOSE_FILE,
      config: BUNDLED_TEMPLATE_TOML,
      placeholderMounts: 'warning',
    });
    expect(result.needsRedeploy).toBe(true);
    expect(result.check.incompleteMounts).toHaveLength(15);
    expect(imports(s)).toBe(1);
    const after = await children(s, composeId);
    expect(after).toMatchObject({ mounts: 15, domains: 1 });
    expect(after.env).not.toBe(before.env); // new generated secrets
    const [record] = await history.list();
    expect(record).toMatchObject({ kind: 'compose.import', actor: 'import', composeId });
    expect(record?.before).toMatchObject({ env: before.env });
    // without the warning opt-in the placeholders are refused (here as compose.import's base64)
    const base64 = Buffer.from(
      JSON.stringify({ compose: BUNDLED_COMPOSE_FILE, config: BUNDLED_TEMPLATE_TOML }),
    ).toString('base64');
    await expect(
      importTemplate({ client: s.client, history, composeId, base64 }),
    ).rejects.toSatisfy(
      (e: unknown) =>
        TemplateInvalidError.isInstance(e) &&
        (e as TemplateInvalidError).findings.some((f) => f.code === 'TEMPLATE_MOUNTS_INCOMPLETE'),
    );
    expect(imports(s)).toBe(1);
  });
});

describe('validateTemplate on the shipped and the reference Supabase templates', () => {
  it.each([
    ['bundled (src/wizard/bundled-template.ts)', BUNDLED_COMPOSE_FILE, BUNDLED_TEMPLATE_TOML],
    [
      'reference (shared/reference/dokploy/supabase-template)',
      reference('docker-compose.yml'),
      reference('template.toml'),
    ],
  ])(
    '%s passes; only its placeholder mounts and known quirks are warnings',
    (_name, compose, config) => {
      const r = validateTemplate({ compose, config, placeholderMounts: 'warning' });
      expect(r.ok).toBe(true);
      expect(r.findings.map((f) => `${f.severity} ${f.code} ${f.path}`)).toEqual([
        // the payload ends in "}\n": Dokploy < 0.25.6 signs role-less keys (bug A)
        'warning TEMPLATE_JWT_PAYLOAD_UNTRIMMED config.env[21]',
        'warning TEMPLATE_JWT_PAYLOAD_UNTRIMMED config.env[22]',
        // no service of this compose mounts db/init/data.sql
        'warning TEMPLATE_MOUNT_UNUSED config.mounts[3].filePath',
        'warning TEMPLATE_MOUNTS_INCOMPLETE config.mounts',
      ]);
      expect(r.services).toContain('kong');
      expect(r.domains).toEqual([{ serviceName: 'kong', port: 8000, host: '${main_domain}' }]);
      expect(r.envLines).toBeGreaterThan(100);
      expect(r.incompleteMounts).toHaveLength(15);
      // strict: the same, with the placeholders as the only error
      const strict = validateTemplate({ compose, config });
      expect(strict.findings.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual([
        'TEMPLATE_MOUNTS_INCOMPLETE',
      ]);
    },
  );
});
