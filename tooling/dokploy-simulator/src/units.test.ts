// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Dokploy template syntax, not JS templates
import { describe, expect, it } from 'vitest';
import { composeServices } from './compose-file.js';
import { signHs256 } from './jwt.js';
import {
  generateDomain,
  generatePassword,
  processTemplate,
  processValue,
  slugify,
} from './template.js';
import { atLeast, parseSimVersion } from './version.js';

const v = (s: string) => {
  const parsed = parseSimVersion(s);
  if (!parsed) throw new Error(s);
  return parsed;
};
const ctx = { projectName: 'My App', serverIp: '10.0.0.7', version: v('0.30.2') };

describe('simulator building blocks', () => {
  it('versions', () => {
    expect(parseSimVersion('v0.25.6')?.tag).toBe('v0.25.6');
    expect(parseSimVersion('nope')).toBeUndefined();
    expect(atLeast(v('0.25.6'), '0.25.6')).toBe(true);
    expect(atLeast(v('0.25.5'), '0.25.6')).toBe(false);
    expect(atLeast(v('1.0.0'), '0.99.0')).toBe(true);
    expect(atLeast(v('0.30.0'), '0.29.9')).toBe(true);
    expect(() => atLeast(v('0.1.0'), 'x')).toThrow(/bad version/);
  });

  it('compose services and health checks from YAML', () => {
    const yaml = `name: x\nservices:\n  # comment\n  db:\n    image: pg\n    healthcheck:\n      test: x\n  web:\n    image: nginx\nvolumes:\n  data:\n`;
    expect(composeServices(yaml)).toEqual([
      { name: 'db', hasHealthcheck: true, dependsOn: [] },
      { name: 'web', hasHealthcheck: false, dependsOn: [] },
    ]);
    const deps = `services:\n  a:\n    depends_on:\n      - db\n  b:\n    depends_on: [db, "a"]\n  c:\n    depends_on:\n      db:\n        condition: service_healthy\n      a:\n        restart: true\n`;
    expect(composeServices(deps).map((x) => [x.name, x.dependsOn])).toEqual([
      ['a', [{ service: 'db', condition: 'service_started' }]],
      [
        'b',
        [
          { service: 'db', condition: 'service_started' },
          { service: 'a', condition: 'service_started' },
        ],
      ],
      [
        'c',
        [
          { service: 'db', condition: 'service_healthy' },
          { service: 'a', condition: 'service_started' },
        ],
      ],
    ]);
    expect(composeServices('')).toEqual([]);
  });

  it('HS256 signing matches a known vector', () => {
    // header/payload as in jwt.io's HS256 example, secret "secret"
    const token = signHs256({ sub: '1234567890', name: 'John Doe', iat: 1516239022 }, 'secret');
    expect(token.split('.')[2]).toBe('XbPfbIHMI6arZ3Y922BhjWgQzWXcXNrz0ogtVhfEd2o');
  });

  it('template helpers', () => {
    expect(generatePassword(20)).toMatch(/^[a-z0-9]{20}$/);
    expect(slugify(' My  App! 2 ')).toBe('my-app-2');
    expect(
      generateDomain('x'.repeat(80), '10.0.0.7', v('0.25.7')).split('.')[0]?.length,
    ).toBeLessThanOrEqual(63);
    expect(generateDomain('short', '10.0.0.7', v('0.25.0'))).toMatch(
      /^short-[0-9a-f]{6}-10-0-0-7\.traefik\.me$/,
    );
    const vars: Record<string, string> = { known: 'K' };
    expect(processValue('${known}', vars, ctx)).toBe('K');
    expect(processValue('${base64:12}', vars, ctx)).toMatch(/^[A-Za-z0-9+/]{16}$/);
    expect(processValue('${hash:10}', vars, ctx)).toMatch(/^[0-9a-f]{10}$/);
    // randomBytes(N).toString('hex'): 2N characters
    expect(processValue('${jwt:16}', vars, ctx)).toMatch(/^[0-9a-f]{32}$/);
    expect(processValue('${password}', vars, ctx)).toMatch(/^[a-z0-9]{16}$/);
    expect(processValue('${uuid}', vars, ctx)).toMatch(/^[0-9a-f-]{36}$/);
    expect(processValue('${timestamps:2030-01-01T00:00:00Z}', vars, ctx)).toBe('1893456000');
    expect(Number(processValue('${timestamp}', vars, ctx))).toBeGreaterThan(1e12);
    expect(processValue('${mystery:1}', vars, ctx)).toBe('${mystery:1}');
    // jwt with a literal secret and no payload: default claims
    const token = processValue('${jwt:literal-secret:missing}', vars, ctx);
    expect(
      JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()),
    ).toMatchObject({ iss: 'dokploy', exp: 1893456000 });
    // invalid JSON payload falls back too
    vars.p = '{"role": "anon",}';
    const bad = processValue('${jwt:known:p}', vars, ctx);
    expect(
      JSON.parse(Buffer.from(bad.split('.')[1] ?? '', 'base64url').toString()).role,
    ).toBeUndefined();
  });

  it('templates with env as a table', () => {
    const out = processTemplate('[variables]\na = "1"\n[config.env]\nA = "${a}"\nN = 5\n', ctx);
    expect(out).toEqual({ envs: ['A=1', 'N=5'], mounts: [], domains: [] });
  });

  it('env array entries that are tables are written unprocessed; domains without a service are dropped', () => {
    const out = processTemplate(
      '[config]\nenv = [{ RAW = "${hash}" }]\n[[config.domains]]\nhost = "x"\n[[config.mounts]]\nfilePath = ""\n',
      ctx,
    );
    expect(out).toEqual({ envs: ['RAW=${hash}'], mounts: [], domains: [] });
    const generated = processTemplate('[[config.domains]]\nserviceName = "web"\nport = 80\n', ctx);
    expect(generated.domains[0]?.host).toMatch(/^My App-[0-9a-f]{6}-10-0-0-7\.sslip\.io$/);
  });

  it('the v0.21.0-v0.21.7 helpers: no ${hash} or ${timestamps:…}, ${jwt:…} is hex, empty variables stay literal', () => {
    const old = { ...ctx, version: v('0.21.7') };
    const vars: Record<string, string> = { empty: '' };
    expect(processValue('${hash}', vars, old)).toBe('${hash}');
    expect(processValue('${timestamps:2030-01-01T00:00:00Z}', vars, old)).toBe(
      '${timestamps:2030-01-01T00:00:00Z}',
    );
    expect(processValue('${jwt:secret:payload}', vars, old)).toMatch(/^[0-9a-f]{512}$/);
    expect(processValue('${jwt}', vars, old)).toMatch(/^[0-9a-f]{512}$/);
    expect(processValue('${empty}', vars, old)).toBe('${empty}');
    expect(processValue('${empty}', vars, ctx)).toBe('');
    expect(processValue('${timestamp}-${randomPort}-${uuid}-${base64}', vars, old)).toMatch(
      /^\d+-\d+-[0-9a-f-]{36}-.+$/,
    );
  });
});
