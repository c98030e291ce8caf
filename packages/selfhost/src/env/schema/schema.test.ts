// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose ${…} syntax is the test data
import { SECRET_CONSTRAINTS, SERVICES_BY_VARIABLE } from '@supaops/supabase-jwt';
import { describe, expect, it } from 'vitest';
import {
  composeReferences,
  DOKPLOY_COMPOSE,
  DOKPLOY_TEMPLATE_TOML,
  ENV_EXAMPLE,
  envExampleKeys,
  templateEnvLines,
} from '../../../test/helpers.js';
import { composeServiceNames } from '../../doctor/compose-services.js';
import { parseEnv, toEnvRecord } from '../parse.js';
import { checkConstraint } from './constraints.js';
import {
  DOKPLOY_TEMPLATE_SERVICES,
  ENV_VARIABLES,
  envVariable,
  isSecretVariable,
} from './table.js';

const example = toEnvRecord(parseEnv(ENV_EXAMPLE));
const templateLines = templateEnvLines();
const template = toEnvRecord(parseEnv(templateLines.join('\n'), { interpolate: false }));
const references = composeReferences(DOKPLOY_COMPOSE);

describe('ENV_VARIABLES', () => {
  it('covers every variable of upstream .env.example, commented-out ones included', () => {
    const { set, commented } = envExampleKeys();
    expect(set.length).toBeGreaterThan(55);
    for (const name of set) {
      expect(envVariable(name), name).toBeDefined();
      expect(ENV_VARIABLES[name]?.sources, name).toContain('env.example');
    }
    for (const name of commented) expect(envVariable(name)?.sources, name).toContain('env.example');
  });

  it("covers every variable of the Dokploy template's env (61 keys)", () => {
    expect(Object.keys(template)).toHaveLength(61);
    for (const name of Object.keys(template)) {
      expect(ENV_VARIABLES[name]?.sources, name).toContain('dokploy-template');
    }
  });

  it("covers every ${VAR} the Dokploy template's compose reads, with the services that read it", () => {
    expect([...references.keys()]).toEqual([...DOKPLOY_TEMPLATE_SERVICES]);
    for (const [service, names] of references) {
      for (const name of names) {
        const spec = ENV_VARIABLES[name];
        expect(spec?.sources, name).toContain('dokploy-compose');
        expect(spec?.services, `${name} is read by ${service}`).toContain(service);
      }
    }
  });

  it('names as dokploy-compose readers only services whose block reads the variable', () => {
    for (const spec of Object.values(ENV_VARIABLES)) {
      if (!spec.sources.includes('dokploy-compose') || spec.sources.includes('upstream')) continue;
      for (const service of spec.services) {
        expect(references.get(service)?.has(spec.name), `${spec.name} in ${service}`).toBe(true);
      }
    }
  });

  it("carries .env.example's values as defaults and the template's where they differ", () => {
    for (const [name, value] of Object.entries(example)) {
      const spec = ENV_VARIABLES[name];
      if (name === 'ANON_KEY' || name === 'SERVICE_ROLE_KEY') continue;
      expect(spec?.default, name).toBe(value);
    }
    for (const [name, value] of Object.entries(template)) {
      const spec = ENV_VARIABLES[name];
      if (name === 'ANON_KEY' || name === 'SERVICE_ROLE_KEY') {
        expect(spec?.dokployDefault).toBe(value);
        continue;
      }
      // template [variables] are shown as their helper (postgres_password = "${password:32}");
      // main_domain stays a name, it is the domain Dokploy generates
      const expected = value.replace(/\$\{([a-z0-9_]+)\}/g, (whole, variable: string) =>
        variable === 'main_domain'
          ? whole
          : (new RegExp(`^${variable} = "(.*)"$`, 'm').exec(DOKPLOY_TEMPLATE_TOML)?.[1] ?? whole),
      );
      const actual = spec?.dokployDefault ?? spec?.default;
      expect(actual, name).toBe(expected);
    }
  });

  it('agrees with supabase-jwt on the secrets and the key readers', () => {
    for (const [name, constraint] of Object.entries(SECRET_CONSTRAINTS)) {
      if (name === 'POOLER_TENANT_ID' || name === 'DASHBOARD_USERNAME') continue;
      expect(ENV_VARIABLES[name]?.secret, name).toBe(true);
      expect(ENV_VARIABLES[name]?.constraint.rule, name).toBe(constraint.rule);
    }
    for (const [name, services] of Object.entries(SERVICES_BY_VARIABLE)) {
      for (const service of services)
        expect(ENV_VARIABLES[name]?.services, name).toContain(service);
    }
  });

  it('marks secrets, and falls back to the name for unknown variables', () => {
    expect(isSecretVariable('SMTP_PASS')).toBe(true);
    expect(isSecretVariable('SITE_URL')).toBe(false);
    expect(isSecretVariable('MY_API_TOKEN')).toBe(true);
    expect(isSecretVariable('MY_FLAG')).toBe(false);
    expect(envVariable('toString')).toBeUndefined();
  });

  it('lists the Dokploy compose services in file order', () => {
    expect(composeServiceNames(DOKPLOY_COMPOSE)).toEqual([...DOKPLOY_TEMPLATE_SERVICES]);
  });
});

describe('checkConstraint', () => {
  const spec = (name: string) => ENV_VARIABLES[name] as NonNullable<(typeof ENV_VARIABLES)[string]>;
  it.each([
    ['POSTGRES_PORT', '5432', undefined],
    ['POSTGRES_PORT', '0', 'is 0, below the minimum 1'],
    ['POSTGRES_PORT', '70000', 'is 70000, above the maximum 65535'],
    ['POSTGRES_PORT', 'abc', 'is not a whole number'],
    ['JWT_EXPIRY', '3600', undefined],
    ['DISABLE_SIGNUP', 'True', undefined],
    ['DISABLE_SIGNUP', 'yes', 'is not true or false'],
    ['SMTP_ADMIN_EMAIL', 'a@b.co', undefined],
    ['SMTP_ADMIN_EMAIL', 'nobody', 'is not an email address'],
    ['SMTP_HOST', 'smtp.example.net', undefined],
    ['SMTP_HOST', 'http://smtp', 'is not a host name'],
    ['POSTGRES_HOST', '::1', undefined],
    [
      'GLOBAL_S3_BUCKET',
      'my bucket',
      'has characters outside a bucket name (the directory name with the file backend)',
    ],
    ['DOCKER_SOCKET_LOCATION', 'var/run/docker.sock', 'is not an absolute path'],
    ['SITE_URL', 'ftp://x', 'is not an http(s) URL'],
    ['SITE_URL', 'nope', 'is not an absolute URL'],
    ['SITE_URL', 'https://x.dev', undefined],
    ['PGRST_DB_SCHEMAS', 'public,,storage', 'has an empty item (a stray comma)'],
    ['PGRST_DB_SCHEMAS', 'public,storage', undefined],
    ['JWT_SECRET', 'short', undefined],
  ])('%s=%s → %s', (name, value, problem) => {
    expect(checkConstraint(spec(name), value)).toBe(problem);
  });
});
