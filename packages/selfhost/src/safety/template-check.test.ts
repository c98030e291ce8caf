// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is Dokploy's template syntax here
import { describe, expect, it } from 'vitest';
import { SelfhostValidationError } from '../errors.js';
import { TemplateInvalidError } from './safety-errors.js';
import {
  assertTemplateValid,
  incompleteMountsMessage,
  validateTemplate,
} from './template-check.js';
import { TEMPLATE_FINDING_CODES } from './template-findings.js';

const COMPOSE = `services:
  web:
    image: nginx
    expose:
      - 8080
    volumes:
      - ../files/conf/app.conf:/etc/app.conf:ro
      - ../files/data:/data
  worker:
    image: busybox
`;

const CONFIG = `[variables]
main_domain = "\${domain}"
secret = "\${password:32}"
payload = """{ "role": "anon", "exp": \${timestamps:2030-01-01T00:00:00Z} }"""

[config]
env = [
  'HOST=\${main_domain}',
  'SECRET=\${secret}',
  'KEY=\${jwt:secret:payload}',
  'URL=https://\${HOST}/x',
  'DEFAULTED=\${UNSET_VAR:-fallback}',
  '# a comment',
  '',
]

[[config.domains]]
serviceName = "web"
port = 8080
host = "\${main_domain}"

[[config.mounts]]
filePath = "/conf/app.conf"
content = "listen 8080;"

[[config.mounts]]
filePath = "/data/seed.sql"
content = "select 1;"
`;

const codes = (r: ReturnType<typeof validateTemplate>) => r.findings.map((f) => f.code);
const check = (config: string, compose = COMPOSE, extra: object = {}) =>
  validateTemplate({ compose, config, ...extra });

describe('validateTemplate', () => {
  it('a sound template has no finding and lists what Dokploy will create', () => {
    const r = check(CONFIG);
    expect(r.findings).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.services).toEqual(['web', 'worker']);
    expect(r.variables).toEqual(['APP_NAME', 'main_domain', 'secret', 'payload']);
    expect(r.domains).toEqual([{ serviceName: 'web', port: 8080, host: '${main_domain}' }]);
    expect(r.mounts).toEqual(['/conf/app.conf', '/data/seed.sql']);
    expect(r.envLines).toBe(7);
    // the same as compose.import's base64 payload
    const base64 = Buffer.from(JSON.stringify({ compose: COMPOSE, config: CONFIG })).toString(
      'base64',
    );
    expect(validateTemplate({ base64 }).findings).toEqual([]);
  });

  it('refuses what Dokploy cannot parse: the payload, the TOML, the YAML, no services', () => {
    expect(codes(validateTemplate({ base64: Buffer.from('nope').toString('base64') }))).toEqual([
      'TEMPLATE_PAYLOAD_INVALID',
    ]);
    const toml = check('[variables]\nx = "unclosed\n');
    expect(codes(toml)).toEqual(['TEMPLATE_TOML_INVALID']);
    expect(toml.findings[0]?.path).toMatch(/^config:\d+:\d+$/);
    expect(codes(check(CONFIG, 'services:\n  web: [\n'))).toContain('TEMPLATE_COMPOSE_INVALID');
    expect(codes(check(CONFIG, 'a: 1\nb: 2\na: 3\n'))).toContain('TEMPLATE_COMPOSE_INVALID');
    expect(codes(check(CONFIG, '   '))).toContain('TEMPLATE_COMPOSE_INVALID');
    expect(codes(check(CONFIG, 'version: "3"\n'))).toContain('TEMPLATE_COMPOSE_NO_SERVICES');
    expect(check(CONFIG, 'version: "3"\n').ok).toBe(false);
    // Dokploy's own lenient parser accepts what strict TOML parsers refuse (reference §2.8)
    expect(codes(check(`${CONFIG}\n[extra]\nv = """a \\$ b"""\n`))).toEqual([]);
  });

  it('warns about what Dokploy template rules forbid in the compose', () => {
    const compose = `${COMPOSE}  db:\n    image: postgres\n    container_name: db\n    ports:\n      - "5432:5432"\n`;
    expect(codes(check(CONFIG, compose))).toEqual([
      'TEMPLATE_COMPOSE_CONTAINER_NAME',
      'TEMPLATE_COMPOSE_HOST_PORTS',
    ]);
  });

  it('checks the variables table', () => {
    expect(codes(check('variables = 3\n[config]\nenv = ["A=1"]\n'))).toEqual([
      'TEMPLATE_VARIABLES_INVALID',
    ]);
    const r = check(
      '[variables]\nn = 5\npassword = "x"\na = "${b}-x"\nb = "pre-${uuid}"\nc = "${nothing}"\n[config]\nenv = ["N=${n}", "A=${a}"]\n',
    );
    expect(codes(r)).toEqual([
      'TEMPLATE_VARIABLE_NOT_STRING',
      'TEMPLATE_VARIABLE_SHADOWED',
      'TEMPLATE_VARIABLE_ORDER',
      'TEMPLATE_VARIABLE_UNDEFINED',
      'TEMPLATE_VARIABLE_UNDEFINED',
    ]);
    expect(r.findings[4]?.path).toBe('config.env[0]');
    // a later variable settled in the first pass (a bare helper) is fine
    expect(
      codes(check('[variables]\na = "x-${b}"\nb = "${password:8}"\n[config]\nenv = ["A=${a}"]\n')),
    ).toEqual([]);
  });

  it('checks helpers and their arguments, and unclosed placeholders', () => {
    const r = check(
      '[config]\nenv = ["A=${password:abc}", "B=${timestamps:not-a-date}", "C=${pasword:32}", "D=${uuid", "E=${{project.SHARED}}", "F=${jwt:16}", "G=${randomPort}"]\n',
    );
    expect(codes(r)).toEqual([
      'TEMPLATE_HELPER_ARGUMENT',
      'TEMPLATE_HELPER_ARGUMENT',
      'TEMPLATE_HELPER_UNKNOWN',
      'TEMPLATE_PLACEHOLDER_UNCLOSED',
    ]);
  });

  it('finds JWT payloads that would sign the role-less default payload (bug A)', () => {
    const base = (payload: string, env = 'K=${jwt:secret:payload}') =>
      check(
        `[variables]\nsecret = "\${password:32}"\npayload = """${payload}"""\n[config]\nenv = ["${env}"]\n`,
      );
    expect(codes(base('{ "role": "anon", }'))).toEqual(['TEMPLATE_JWT_PAYLOAD_INVALID']);
    expect(codes(base('role=anon'))).toEqual(['TEMPLATE_JWT_PAYLOAD_INVALID']);
    expect(codes(base('{ "role": "anon" }\n'))).toEqual(['TEMPLATE_JWT_PAYLOAD_UNTRIMMED']);
    expect(codes(base('{ "role": "anon" }', 'K=${jwt:secret:missing}'))).toEqual([
      'TEMPLATE_JWT_PAYLOAD_INVALID',
    ]);
    expect(codes(base('{ "role": "anon" }', 'K=${jwt:nosuch:payload}'))).toEqual([
      'TEMPLATE_JWT_SECRET_LITERAL',
    ]);
    expect(codes(base('{ "role": "anon" }', 'K=${jwt:secret}'))).toEqual([]);
    // a variable signing with a payload declared after it sees the payload unexpanded
    const order = check(
      '[variables]\nsecret = "${password:32}"\nkey = "${jwt:secret:payload}"\npayload = """{ "exp": ${timestamps:2030-01-01T00:00:00Z} }"""\n[config]\nenv = ["K=${key}"]\n',
    );
    expect(codes(order)).toEqual(['TEMPLATE_JWT_PAYLOAD_INVALID']);
    expect(order.findings[0]?.fix).toMatch(/declare payload before/);
  });

  it('checks the env lines compose will read', () => {
    expect(codes(check('[config]\nenv = 5\n'))).toEqual(['TEMPLATE_CONFIG_INVALID']);
    expect(codes(check('[variables]\nx = "1"\n'))).toEqual(['TEMPLATE_ENV_EMPTY']);
    expect(codes(check('[config]\nenv = []\n'))).toEqual(['TEMPLATE_ENV_EMPTY']);
    expect(codes(check('[config]\nenv = ["A=1", "not a line", "A=2", "B=${MISSING}"]\n'))).toEqual([
      'TEMPLATE_ENV_LINE_INVALID',
      'TEMPLATE_ENV_DUPLICATE_KEY',
      'TEMPLATE_VARIABLE_UNDEFINED',
    ]);
    // the table form and object entries (not processed by Dokploy)
    expect(codes(check('[config.env]\nA = "${nope}"\nB = 3\n'))).toEqual([
      'TEMPLATE_VARIABLE_UNDEFINED',
    ]);
    expect(codes(check('[config]\nenv = [{ A = "${nope}" }]\n'))).toEqual([]);
    expect(codes(check('[config]\nenv = [7]\n'))).toEqual(['TEMPLATE_ENV_LINE_INVALID']);
    expect(codes(check('config = 1\n'))).toEqual(['TEMPLATE_CONFIG_INVALID']);
  });

  it('checks domains: service, port, host, path', () => {
    const dom = (body: string, compose = COMPOSE) =>
      codes(check(`[config]\nenv = ["A=1"]\n${body}`, compose));
    expect(dom('[[config.domains]]\nserviceName = "api"\nport = 8080\n')).toEqual([
      'TEMPLATE_DOMAIN_SERVICE_UNKNOWN',
    ]);
    expect(
      dom('[[config.domains]]\nserviceName = "web"\nport = 8080\n[[config.domains]]\nport = 80\n'),
    ).toEqual(['TEMPLATE_DOMAIN_SERVICE_MISSING']);
    const ignored = check('[config]\nenv = ["A=1"]\n[[config.domains]]\nport = 80\n');
    expect(ignored.findings.map((f) => `${f.code}:${f.severity}`)).toEqual([
      'TEMPLATE_DOMAIN_SERVICE_MISSING:warning',
    ]);
    expect(dom('[[config.domains]]\nserviceName = "web"\nport = "8080"\n')).toEqual([
      'TEMPLATE_DOMAIN_PORT_INVALID',
    ]);
    expect(dom('[[config.domains]]\nserviceName = "web"\nport = 70000\n')).toEqual([
      'TEMPLATE_DOMAIN_PORT_INVALID',
    ]);
    expect(dom('[[config.domains]]\nserviceName = "web"\n')).toEqual([
      'TEMPLATE_DOMAIN_PORT_DEFAULT',
    ]);
    expect(dom('[[config.domains]]\nserviceName = "web"\nport = 9000\n')).toEqual([
      'TEMPLATE_DOMAIN_PORT_NOT_EXPOSED',
    ]);
    expect(dom('[[config.domains]]\nserviceName = "worker"\nport = 9000\n')).toEqual([]);
    expect(
      dom(
        '[[config.domains]]\nserviceName = "web"\nport = 8080\nhost = "bad_host.example.com"\npath = "api"\n',
      ),
    ).toEqual(['TEMPLATE_DOMAIN_PATH_INVALID', 'TEMPLATE_DOMAIN_HOST_INVALID']);
    expect(
      dom(
        '[variables]\nh = "app.example.com"\n[[config.domains]]\nserviceName = "web"\nport = 8080\nhost = "${h}"\n',
      ),
    ).toEqual([]);
    expect(dom('[[config.domains]]\nserviceName = "web"\nport = 8080\nhost = 5\n')).toEqual([
      'TEMPLATE_DOMAIN_HOST_INVALID',
    ]);
    expect(dom('[[config.domains]]\nserviceName = "web"\nport = 8080\nhost = "${nope}"\n')).toEqual(
      ['TEMPLATE_VARIABLE_UNDEFINED'],
    );
    expect(dom('[config.domains]\nserviceName = "web"\n')).toEqual(['TEMPLATE_CONFIG_INVALID']);
  });

  it('checks mounts: paths, contents, placeholders', () => {
    const m = (body: string, extra: object = {}) =>
      check(`[config]\nenv = ["A=1"]\n${body}`, COMPOSE, extra);
    expect(codes(m('[[config.mounts]]\nfilePath = "../../etc/passwd"\ncontent = "x"\n'))).toEqual([
      'TEMPLATE_MOUNT_PATH_INVALID',
      'TEMPLATE_MOUNT_UNUSED',
    ]);
    expect(
      codes(
        m(
          '[[config.mounts]]\ncontent = "x"\n[[config.mounts]]\nfilePath = "/conf/app.conf"\ncontent = 3\n',
        ),
      ),
    ).toEqual(['TEMPLATE_MOUNT_PATH_INVALID', 'TEMPLATE_MOUNT_CONTENT_INVALID']);
    expect(
      codes(
        m(
          '[[config.mounts]]\nfilePath = "/conf/app.conf"\ncontent = "a"\n[[config.mounts]]\nfilePath = "conf/app.conf"\ncontent = "b"\n',
        ),
      ),
    ).toEqual(['TEMPLATE_MOUNT_DUPLICATE']);
    expect(codes(m('[[config.mounts]]\nfilePath = "/elsewhere.txt"\ncontent = "a"\n'))).toEqual([
      'TEMPLATE_MOUNT_UNUSED',
    ]);
    expect(codes(m('[[config.mounts]]\nfilePath = "/${nope}.txt"\ncontent = "a"\n'))).toEqual([
      'TEMPLATE_VARIABLE_UNDEFINED',
    ]);
    expect(codes(m('[config.mounts]\nfilePath = "x"\n'))).toEqual(['TEMPLATE_CONFIG_INVALID']);
    // all-empty mounts are ignored by Dokploy
    expect(codes(m('[[config.mounts]]\nfilePath = ""\ncontent = ""\n'))).toEqual([]);
    const placeholder = '[[config.mounts]]\nfilePath = "/conf/app.conf"\ncontent = "(omitted)"\n';
    const strict = m(placeholder);
    expect(strict.ok).toBe(false);
    expect(strict.incompleteMounts).toEqual(['/conf/app.conf']);
    const lenient = m(placeholder, { placeholderMounts: 'warning' });
    expect(lenient.ok).toBe(true);
    expect(lenient.findings.map((f) => `${f.code}:${f.severity}`)).toEqual([
      'TEMPLATE_MOUNTS_INCOMPLETE:warning',
    ]);
    expect(incompleteMountsMessage(lenient)).toMatch(
      /^Mounts incomplete: 1 file .*\/conf\/app\.conf/,
    );
    expect(incompleteMountsMessage(check(CONFIG))).toBeUndefined();
  });

  it('assertTemplateValid throws TemplateInvalidError with the fixes; input is validated', () => {
    expect(assertTemplateValid({ compose: COMPOSE, config: CONFIG }).ok).toBe(true);
    let error: unknown;
    try {
      assertTemplateValid({ compose: COMPOSE, config: 'x = ' });
    } catch (e) {
      error = e;
    }
    expect(TemplateInvalidError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /TEMPLATE_TOML_INVALID at config:1:.*fix: .*Nothing was sent/,
    );
    expect(() => validateTemplate({ compose: COMPOSE } as never)).toThrow(SelfhostValidationError);
    expect(() => validateTemplate({ base64: 'x', compose: COMPOSE, config: '' })).toThrow(
      SelfhostValidationError,
    );
    expect(() => validateTemplate({ compose: COMPOSE, config: '', extra: 1 } as never)).toThrow(
      SelfhostValidationError,
    );
  });

  it('every code has a default severity, and the message of many errors is capped', () => {
    expect(
      Object.values(TEMPLATE_FINDING_CODES).every((s) => s === 'error' || s === 'warning'),
    ).toBe(true);
    const many = check(
      `[config]\nenv = ["A=1"]\n${Array.from({ length: 7 }, () => '[[config.domains]]\nserviceName = "nope"\nport = 1\n').join('')}`,
    );
    expect(new TemplateInvalidError(many.findings).message).toMatch(/\(and 2 more\)/);
  });
});
