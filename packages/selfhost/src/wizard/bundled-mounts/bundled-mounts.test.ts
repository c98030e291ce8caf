// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is Dokploy's and compose's syntax here
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseToml } from 'toml';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { validateTemplate } from '../../safety/template-check.js';
import {
  BUNDLED_COMPOSE_FILE,
  BUNDLED_TEMPLATE_CONFIG,
  BUNDLED_TEMPLATE_TOML,
} from '../bundled-template.js';
import { BUNDLED_MOUNTS, fillTemplateMounts, tomlLiteral } from './index.js';
import { KONG_ENTRYPOINT_SH } from './kong-entrypoint.js';
import { KONG_TEMPLATE_VARIABLES, KONG_YML } from './kong-yml.js';
import { POOLER_ENV, POOLER_EXS } from './pooler-exs.js';
import { VECTOR_ROUTES, VECTOR_YML } from './vector-yml.js';

const run = promisify(execFile);

type ComposeService = { environment?: Record<string, unknown>; volumes?: string[] };
const compose = parseYaml(BUNDLED_COMPOSE_FILE) as { services: Record<string, ComposeService> };
const envOf = (service: string) => Object.keys(compose.services[service]?.environment ?? {});
const content = (filePath: string) =>
  BUNDLED_MOUNTS.find((m) => m.filePath === filePath)?.content as string;

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the bundled template with supaops mount contents', () => {
  it('fills all 15 mounts of the pinned TOML, and toml@3.0.0 reads each content back exactly', () => {
    const pinned = parseToml(BUNDLED_TEMPLATE_TOML) as { config: { mounts: unknown[] } };
    const filled = parseToml(BUNDLED_TEMPLATE_CONFIG) as {
      config: { mounts: { filePath: string; content: string }[]; env: string[] };
    };
    expect(filled.config.mounts.map((m) => m.filePath)).toEqual(
      (pinned.config.mounts as { filePath: string }[]).map((m) => m.filePath),
    );
    expect(BUNDLED_MOUNTS).toHaveLength(15);
    for (const m of BUNDLED_MOUNTS) {
      const got = filled.config.mounts.find((x) => x.filePath === m.filePath);
      expect(got?.content, m.filePath).toBe(m.content);
      expect(m.content, m.filePath).not.toMatch(/\(omitted\)/);
    }
    // everything but the mounts is the pinned template
    expect(filled.config.env).toEqual(parseToml(BUNDLED_TEMPLATE_TOML).config.env);
    expect(content('/volumes/snippets/.gitkeep')).toBe('');
  });

  it('passes the template check with placeholder mounts counted as errors', () => {
    const r = validateTemplate({ compose: BUNDLED_COMPOSE_FILE, config: BUNDLED_TEMPLATE_CONFIG });
    expect(r.ok).toBe(true);
    expect(r.incompleteMounts).toEqual([]);
    expect(r.findings.map((f) => f.code)).not.toContain('TEMPLATE_MOUNTS_INCOMPLETE');
    const pinned = validateTemplate({
      compose: BUNDLED_COMPOSE_FILE,
      config: BUNDLED_TEMPLATE_TOML,
    });
    expect(pinned.ok).toBe(false);
  });

  it('holds no ${…} that Dokploy would expand at import, and every compose mount source has a file', () => {
    for (const m of BUNDLED_MOUNTS) expect(m.content, m.filePath).not.toContain('${');
    const sources = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => v.split(':')[0] as string)
      .filter((src) => src.startsWith('../files/') && /\.[a-z]+$/.test(src))
      .map((src) => src.slice('../files'.length));
    expect(sources.length).toBe(11);
    for (const src of sources) expect(content(src), src).toBeDefined();
  });

  it('tomlLiteral refuses what a literal string cannot carry; fillTemplateMounts needs each path once', () => {
    expect(tomlLiteral('')).toBe('""');
    expect(() => tomlLiteral("a '''b")).toThrow(/cannot carry/);
    expect(() => tomlLiteral("ends in '")).toThrow(/cannot carry/);
    expect(() => tomlLiteral('bell \u0007')).toThrow(/cannot carry/);
    expect(tomlLiteral('tab\there\n')).toBe("'''\ntab\there\n'''");
    expect(() =>
      fillTemplateMounts(BUNDLED_TEMPLATE_TOML, [{ filePath: '/nope', content: 'x', purpose: '' }]),
    ).toThrow(/\/nope is not in the template exactly once/);
  });
});

interface KongConfig {
  _format_version: string;
  consumers: { username: string; keyauth_credentials?: { key: string }[] }[];
  acls: { consumer: string; group: string }[];
  basicauth_credentials: { consumer: string; username: string; password: string }[];
  plugins: { name: string; config?: { access?: string[] } }[];
  services: {
    name: string;
    url: string;
    routes: { name: string; paths: string[]; strip_path: boolean }[];
    plugins?: { name: string; config?: Record<string, unknown> }[];
  }[];
}

function serviceFor(kong: KongConfig, path: string) {
  const s = kong.services.find((x) => x.routes.some((r) => r.paths.includes(path)));
  if (!s) throw new Error(`no route for ${path}`);
  return { ...s, pluginNames: (s.plugins ?? []).map((p) => p.name) };
}

describe('kong.yml', () => {
  const kong = parseYaml(KONG_YML) as KongConfig;

  it('has the anon and service_role consumers with their keys, ACL groups and the dashboard login', () => {
    expect(kong._format_version).toBe('3.0');
    const keys = (name: string) =>
      kong.consumers.find((c) => c.username === name)?.keyauth_credentials?.map((k) => k.key);
    expect(keys('anon')).toEqual(['$SUPABASE_ANON_KEY', '$SUPABASE_PUBLISHABLE_KEY']);
    expect(keys('service_role')).toEqual(['$SUPABASE_SERVICE_KEY', '$SUPABASE_SECRET_KEY']);
    expect(kong.acls).toEqual([
      { consumer: 'anon', group: 'anon' },
      { consumer: 'service_role', group: 'admin' },
    ]);
    expect(kong.basicauth_credentials).toEqual([
      { consumer: 'DASHBOARD', username: '$DASHBOARD_USERNAME', password: '$DASHBOARD_PASSWORD' },
    ]);
    expect(kong.consumers.map((c) => c.username)).toContain('DASHBOARD');
  });

  it('routes each path to its service with the documented authentication', () => {
    const acl = (path: string) =>
      serviceFor(kong, path).plugins?.find((p) => p.name === 'acl')?.config?.allow;
    for (const path of [
      '/auth/v1/',
      '/rest/v1/',
      '/graphql/v1',
      '/realtime/v1/',
      '/realtime/v1/api',
    ]) {
      expect(serviceFor(kong, path).pluginNames, path).toContain('key-auth');
      expect(acl(path), path).toEqual(['admin', 'anon']);
    }
    expect(serviceFor(kong, '/pg/').pluginNames).toContain('key-auth');
    expect(acl('/pg/')).toEqual(['admin']);
    for (const open of [
      '/auth/v1/verify',
      '/auth/v1/callback',
      '/auth/v1/authorize',
      '/auth/v1/.well-known/jwks.json',
      '/sso/saml/',
      '/storage/v1/',
      '/functions/v1/',
    ])
      expect(serviceFor(kong, open).pluginNames, open).not.toContain('key-auth');
    const studio = serviceFor(kong, '/');
    expect(studio.url).toBe('http://studio:3000');
    expect(studio.pluginNames).toEqual(['basic-auth']);
    const mcp = serviceFor(kong, '/mcp');
    expect(mcp.plugins?.[0]).toMatchObject({
      name: 'request-termination',
      config: { status_code: 403 },
    });
    // each upstream host is a service of the compose, on the port it listens on
    const hosts = new Set(kong.services.map((s) => new URL(s.url).host));
    expect([...hosts].sort()).toEqual([
      'auth:9999',
      'functions:9000',
      'meta:8080',
      'realtime:4000',
      'rest:3000',
      'storage:5000',
      'studio:3000',
    ]);
    for (const host of hosts) expect(compose.services[host.split(':')[0] as string]).toBeDefined();
    // route names are unique (Kong refuses duplicates)
    const names = kong.services.flatMap((s) => s.routes.map((r) => r.name));
    expect(new Set(names).size).toBe(names.length);
  });

  it('fills Authorization from the apikey on every route; realtime gets its tenant host', () => {
    expect(kong.plugins.map((p) => p.name)).toEqual(['cors', 'post-function']);
    const lua = kong.plugins[1]?.config?.access?.[0] as string;
    expect(lua).toContain('kong.client.get_credential()');
    expect(lua).toContain('"Bearer $ANON_KEY_ASYMMETRIC"');
    const realtime = serviceFor(kong, '/realtime/v1/').plugins?.find(
      (p) => p.name === 'post-function',
    );
    expect((realtime?.config?.access as string[] | undefined)?.[0]).toContain(
      'realtime-dev.supabase-realtime',
    );
  });

  it('uses only names the kong service has in its env', () => {
    const used = [...KONG_YML.matchAll(/\$([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1] as string);
    const substituted = used.filter((n) =>
      (KONG_TEMPLATE_VARIABLES as readonly string[]).includes(n),
    );
    expect(new Set(substituted)).toEqual(new Set(KONG_TEMPLATE_VARIABLES));
    for (const name of KONG_TEMPLATE_VARIABLES) expect(envOf('kong')).toContain(name);
  });
});

describe('kong-entrypoint.sh (run with sh on a temp copy)', () => {
  const baseEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    SUPABASE_ANON_KEY: 'eyJanon.payload.sig',
    SUPABASE_SERVICE_KEY: 'eyJservice.payload.sig',
    DASHBOARD_USERNAME: 'supabase',
    // every character a YAML "…" string or Lua string must see escaped, plus & and / for sed
    DASHBOARD_PASSWORD: 'p"a\\s$s&w/o#rd: x',
  };

  async function render(env: Record<string, string>) {
    dir = await mkdtemp(join(tmpdir(), 'kong-entrypoint-'));
    const d = dir;
    await writeFile(join(d, 'kong-entrypoint.sh'), KONG_ENTRYPOINT_SH);
    await writeFile(join(d, 'temp.yml'), KONG_YML);
    const out = join(d, 'out', 'kong.yml');
    const result: { code?: number; stdout: string; stderr: string } = await run(
      'sh',
      [join(d, 'kong-entrypoint.sh'), 'echo', 'started'],
      { env: { ...env, KONG_CONFIG_TEMPLATE: join(d, 'temp.yml'), KONG_DECLARATIVE_CONFIG: out } },
    ).catch((e: { code: number; stdout: string; stderr: string }) => e);
    const text = await readFile(out, 'utf8').catch(() => '');
    return { result, text };
  }

  it('legacy only: substitutes the keys and the dashboard login, drops the empty key lines, runs the command', async () => {
    const { result, text } = await render(baseEnv);
    expect(result.stdout).toBe('started\n');
    expect(result.stderr).toMatch(/legacy JWT keys only/);
    const kong = parseYaml(text) as KongConfig;
    const keys = (name: string) =>
      kong.consumers.find((c) => c.username === name)?.keyauth_credentials?.map((k) => k.key);
    expect(keys('anon')).toEqual(['eyJanon.payload.sig']);
    expect(keys('service_role')).toEqual(['eyJservice.payload.sig']);
    expect(kong.basicauth_credentials[0]).toMatchObject({
      username: 'supabase',
      password: baseEnv.DASHBOARD_PASSWORD,
    });
    expect(text).not.toMatch(/- key: ""/);
    expect(text).toContain('local publishable = ""');
    expect(text).not.toMatch(/\$(SUPABASE|DASHBOARD|ANON_KEY|SERVICE_ROLE)_/);
  });

  it('with the opaque keys: both credentials per consumer and the asymmetric JWTs in the Lua', async () => {
    const { text } = await render({
      ...baseEnv,
      SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_abc',
      SUPABASE_SECRET_KEY: 'sb_secret_xyz',
      ANON_KEY_ASYMMETRIC: 'eyJes.anon.sig',
      SERVICE_ROLE_KEY_ASYMMETRIC: 'eyJes.service.sig',
    });
    const kong = parseYaml(text) as KongConfig;
    expect(kong.consumers.find((c) => c.username === 'anon')?.keyauth_credentials).toEqual([
      { key: 'eyJanon.payload.sig' },
      { key: 'sb_publishable_abc' },
    ]);
    const lua = kong.plugins[1]?.config?.access?.[0] as string;
    expect(lua).toContain('local publishable = "sb_publishable_abc"');
    expect(lua).toContain('"Bearer eyJes.service.sig"');
  });

  it('refuses to start without the keys or with an opaque key lacking its JWT, naming the variable only', async () => {
    const missing = await render({ ...baseEnv, SUPABASE_SERVICE_KEY: '' });
    expect(missing.result.code).toBe(1);
    expect(missing.result.stderr).toMatch(/SUPABASE_SERVICE_KEY is empty/);
    expect(missing.text).toBe('');
    await rm(dir as string, { recursive: true, force: true });
    const half = await render({ ...baseEnv, SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_abc' });
    expect(half.result.code).toBe(1);
    expect(half.result.stderr).toMatch(/ANON_KEY_ASYMMETRIC is empty/);
    expect(half.result.stderr).not.toContain('sb_publishable_abc');
  });
});

describe('pooler.exs, vector.yml and the functions', () => {
  it('pooler.exs reads only env the supavisor service has, with the documented tenant settings', () => {
    const read = [...POOLER_EXS.matchAll(/env\.\("([A-Z_]+)"\)/g)].map((m) => m[1]);
    expect(new Set(read)).toEqual(new Set(POOLER_ENV));
    for (const name of POOLER_ENV) expect(envOf('supavisor')).toContain(name);
    expect(POOLER_EXS).toContain('"require_user" => false');
    expect(POOLER_EXS).toContain('"auth_query" => "SELECT * FROM pgbouncer.get_auth($1)"');
    expect(POOLER_EXS).toMatch(/"default_pool_size" => pool_size/);
    expect(POOLER_EXS).toMatch(/"default_max_clients" => max_clients/);
    expect(POOLER_EXS).toMatch(/"mode_type" => mode/);
  });

  it('vector.yml: docker_logs, one route per compose service, Logflare sinks with the public token', () => {
    const v = parseYaml(VECTOR_YML) as {
      api: { address: string };
      sources: Record<string, { type: string }>;
      transforms: { router: { route: Record<string, string> } };
      sinks: Record<string, { uri: string; inputs: string[] }>;
    };
    expect(v.api.address).toBe('0.0.0.0:9001');
    expect(Object.values(v.sources).map((s) => s.type)).toEqual(['docker_logs']);
    for (const service of Object.keys(VECTOR_ROUTES)) {
      expect(compose.services[service], service).toBeDefined();
      expect(v.transforms.router.route[service]).toBe(`.appname == "supabase-${service}"`);
      const sink = v.sinks[`logflare_${service}`];
      expect(sink?.inputs).toEqual([`router.${service}`]);
      expect(sink?.uri).toBe(
        `http://analytics:4000/api/logs?source_name=${VECTOR_ROUTES[service]}&api_key=$LOGFLARE_PUBLIC_ACCESS_TOKEN`,
      );
    }
    expect(envOf('vector')).toEqual(['LOGFLARE_PUBLIC_ACCESS_TOKEN']);
  });

  it('the functions import nothing remote and read only env the functions service has', () => {
    for (const path of ['/volumes/functions/main/index.ts', '/volumes/functions/hello/index.ts']) {
      const text = content(path);
      expect(text, path).not.toMatch(/^\s*import\s/m);
      expect(text, path).not.toContain('`');
      const read = [...text.matchAll(/Deno\.env\.get\('([A-Z_]+)'\)/g)].map((m) => m[1] as string);
      for (const name of read) expect(envOf('functions'), name).toContain(name);
    }
    expect(compose.services.functions?.environment?.VERIFY_JWT).toBe('${FUNCTIONS_VERIFY_JWT}');
  });
});
