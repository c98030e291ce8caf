// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Dokploy template syntax, not JS templates
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type DokploySimulator, startDokploySimulator } from '../src/index.js';
import { COMPOSE, call, newCompose, ok } from './http.js';

let sim: DokploySimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});
async function start(version: string) {
  sim = await startDokploySimulator({ version, deployDurationMs: 1 });
  return sim;
}
const b64 = (config: string, compose = COMPOSE) =>
  Buffer.from(JSON.stringify({ compose, config })).toString('base64');
const claims = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
const verify = (token: string, secret: string) => {
  const [h, p, sig] = token.split('.');
  return createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url') === sig;
};
const envOf = (env: string) =>
  new Map(env.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

async function deploySupabase(s: DokploySimulator, projectName = 'Shop') {
  const created = await ok(call(s, 'POST', 'project.create', { name: projectName }));
  const owner = created.environment
    ? { environmentId: created.environment.environmentId }
    : { projectId: created.projectId };
  return call(s, 'POST', 'compose.deployTemplate', { ...owner, id: 'supabase' });
}

describe('template helpers (processors.ts at v0.30.2)', () => {
  it('renders every helper, lets helper names win over variables and processes in two passes', async () => {
    const s = await start('0.30.2');
    const { composeId, appName } = await newCompose(s);
    const config = `[variables]
late_ref = "\${early}-\${later}"
early = "E"
password = "shadowed"
later = "\${uuid}"
app = "\${APP_NAME}"

[config]
env = [
  "B64=\${base64}", "B64Z=\${base64:0}", "HASH=\${hash}", "JWT=\${jwt}", "JWT16=\${jwt:16}",
  "TS=\${timestamps}", "TMS=\${timestampms}", "TMSD=\${timestampms:2030-01-01T00:00:00Z}",
  "PORT=\${randomPort}", "USER=\${username}", "MAIL=\${email}", "PW=\${password}",
  "LATE=\${late_ref}", "APP=\${app}", "DOMAIN=\${domain}", "LIT=\${nope}",
]

[[config.domains]]
serviceName = "web"
host = "\${early}.example.test"

[[config.mounts]]
filePath = "/conf/\${early}.conf"
content = "x"
`;
    const out = await ok(
      call(s, 'POST', 'compose.processTemplate', { composeId, base64: b64(config) }),
    );
    const env = envOf(out.template.envs.join('\n'));
    expect(Buffer.from(env.get('B64') ?? '', 'base64')).toHaveLength(32);
    expect(Buffer.from(env.get('B64Z') ?? '', 'base64')).toHaveLength(32);
    expect(env.get('HASH')).toMatch(/^[0-9a-f]{8}$/);
    expect(claims(env.get('JWT') ?? '')).toMatchObject({ iss: 'dokploy', exp: 1893456000 });
    expect(env.get('JWT16')).toMatch(/^[0-9a-f]{32}$/);
    expect(Math.abs(Number(env.get('TS')) - Date.now() / 1000)).toBeLessThan(600);
    expect(Math.abs(Number(env.get('TMS')) - Date.now())).toBeLessThan(600_000);
    expect(env.get('TMSD')).toBe('1893456000000');
    expect(Number(env.get('PORT'))).toBeLessThan(65536);
    expect(env.get('USER')).toMatch(/^[a-z]+\.[a-z]+\d*$/);
    expect(env.get('MAIL')).toMatch(/^[a-z.]+@[a-z.]+$/);
    // ${password} is the helper, not the variable of that name
    expect(env.get('PW')).toMatch(/^[a-z0-9]{16}$/);
    // pass 2 runs in declaration order: late_ref saw `later` before it was processed
    expect(env.get('LATE')).toBe('E-${uuid}');
    expect(env.get('APP')).toBe(appName);
    expect(env.get('DOMAIN')).toMatch(
      new RegExp(`^${appName}-[0-9a-f]{6}-127-0-0-1\\.sslip\\.io$`),
    );
    expect(env.get('LIT')).toBe('${nope}');
    expect(out.template.domains).toEqual([{ host: 'E.example.test', serviceName: 'web' }]);
    expect(out.template.mounts).toEqual([{ filePath: '/conf/E.conf', content: 'x' }]);
    await ok(call(s, 'POST', 'compose.import', { composeId, base64: b64(config) }));
    const detail = await ok(call(s, 'GET', 'compose.one', { composeId }));
    // a template domain without a port takes the DB default
    expect(detail.domains[0]).toMatchObject({ port: 3000, https: false, certificateType: 'none' });
  });

  it('a variable declared before the payload it signs gets the raw payload: the default claims are signed', async () => {
    const s = await start('0.30.2');
    const { composeId } = await newCompose(s);
    const config = `[variables]
secret = "\${password:32}"
key = "\${jwt:secret:payload}"
payload = """{"role": "anon", "exp": \${timestamps:2030-01-01T00:00:00Z}}"""

[config]
env = ["KEY=\${key}", "SECRET=\${secret}", "DIRECT=\${jwt:secret:payload}"]
`;
    const out = await ok(
      call(s, 'POST', 'compose.processTemplate', { composeId, base64: b64(config) }),
    );
    const env = envOf(out.template.envs.join('\n'));
    expect(claims(env.get('KEY') ?? '').role).toBeUndefined();
    expect(claims(env.get('DIRECT') ?? '')).toMatchObject({
      role: 'anon',
      iss: 'dokploy',
      exp: 1893456000,
    });
    expect(Object.keys(claims(env.get('DIRECT') ?? ''))).toEqual(['iat', 'exp', 'role', 'iss']);
    expect(verify(env.get('DIRECT') ?? '', env.get('SECRET') ?? '')).toBe(true);
  });

  it('deployTemplate derives ${domain} from slugify("<project> <id>") and keeps the http-only domain', async () => {
    const s = await start('0.30.2');
    const compose = await ok(deploySupabase(s, 'My Shop!'));
    expect(compose.appName).toMatch(/^my-shop-supabase-[a-z0-9]{6}$/);
    expect(envOf(compose.env).get('SUPABASE_HOST')).toMatch(
      /^my-shop-supabase-[0-9a-f]{6}-127-0-0-1\.sslip\.io$/,
    );
  });
});

describe('Supabase template keys below v0.21.8', () => {
  it('0.19.x: the bundled TypeScript generator signs correct, distinct keys with a base64 secret', async () => {
    const s = await start('0.19.1');
    const compose = await ok(deploySupabase(s));
    const env = envOf(compose.env);
    const secret = env.get('JWT_SECRET') ?? '';
    expect(Buffer.from(secret, 'base64')).toHaveLength(32);
    const anon = claims(env.get('ANON_KEY') ?? '');
    const service = claims(env.get('SERVICE_ROLE_KEY') ?? '');
    expect(anon).toMatchObject({ role: 'anon', iss: 'supabase' });
    expect(service).toMatchObject({ role: 'service_role', iss: 'supabase' });
    expect(Number(anon.exp) - Number(anon.iat)).toBe(100 * 365 * 24 * 60 * 60);
    expect(verify(env.get('ANON_KEY') ?? '', secret)).toBe(true);
    expect(env.get('SMTP_HOSTNAME')).toBe('supabase-mail');
    expect(env.get('MAILER_URLPATHS_INVITE')).toBe('"/auth/v1/verify"');
    expect(compose.env.split('\n')).toHaveLength(41);
    // no template import before v0.20.0
    expect(
      (
        await call(s, 'POST', 'compose.processTemplate', {
          composeId: compose.composeId,
          base64: 'x',
        })
      ).status,
    ).toBe(404);
  });

  it('0.20.x: deployTemplate fails with a 500 "Template files not found"; processTemplate refuses clearly', async () => {
    const s = await start('0.20.5');
    expect(await deploySupabase(s)).toMatchObject({
      status: 500,
      body: { message: 'Template files not found', code: 'INTERNAL_SERVER_ERROR' },
    });
    const { composeId } = await newCompose(s);
    const preview = await call(s, 'POST', 'compose.processTemplate', {
      composeId,
      base64: b64('[config]\n'),
    });
    expect(preview.status).toBe(400);
    expect((preview.body as { message: string }).message).toMatch(
      /^Error processing template: Dokploy v0\.20\.5 reads the template config as YAML/,
    );
  });

  it.each(['0.21.0', '0.21.7'])(
    '%s: ANON_KEY and SERVICE_ROLE_KEY are two 512-character hex strings, not JWTs',
    async (version) => {
      const s = await start(version);
      const env = envOf((await ok(deploySupabase(s))).env);
      const anon = env.get('ANON_KEY') ?? '';
      expect(anon).toMatch(/^[0-9a-f]{512}$/);
      expect(env.get('SERVICE_ROLE_KEY')).toMatch(/^[0-9a-f]{512}$/);
      expect(anon).not.toBe(env.get('SERVICE_ROLE_KEY'));
    },
  );

  it('0.21.8: ${jwt:secret:payload} exists, but the untrimmed payload gives identical role-less keys', async () => {
    const s = await start('0.21.8');
    const env = envOf((await ok(deploySupabase(s))).env);
    expect(env.get('ANON_KEY')).toBe(env.get('SERVICE_ROLE_KEY'));
    expect(claims(env.get('ANON_KEY') ?? '')).toMatchObject({ iss: 'dokploy', exp: 1893456000 });
  });

  it('compose.import deletes the mounts and domains before it parses: a bad template leaves none', async () => {
    const s = await start('0.30.2');
    const compose = await ok(deploySupabase(s));
    const bad = await call(s, 'POST', 'compose.import', {
      composeId: compose.composeId,
      base64: b64('[[['),
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { message: string }).message).toMatch(/^Error importing template: /);
    const detail = await ok(call(s, 'GET', 'compose.one', { composeId: compose.composeId }));
    expect([detail.mounts, detail.domains]).toEqual([[], []]);
  });
});
