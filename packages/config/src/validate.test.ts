import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigValidationError } from './errors.js';
import type { SupaopsConfig } from './types.js';
import { validateConfig } from './validate.js';

function issuesOf(raw: unknown): { path: string; message: string }[] {
  try {
    validateConfig(raw);
  } catch (error) {
    expect(ConfigValidationError.isInstance(error)).toBe(true);
    return (error as ConfigValidationError).issues;
  }
  throw new Error('expected a ConfigValidationError');
}

const full: SupaopsConfig = {
  version: 1,
  defaultInstance: 'prod',
  instances: {
    prod: {
      kind: 'dokploy',
      description: 'Production',
      database: {
        session: 'postgres://postgres.tenant@db.example.com:5432/postgres',
        transaction: 'postgres://postgres.tenant@db.example.com:6543/postgres',
        password: 'env:PROD_DB_PASSWORD',
      },
      api: {
        url: 'https://supabase.example.com',
        anonKey: 'env:PROD_ANON_KEY',
        serviceRoleKey: 'file:secrets/service-role.jwt',
        secretKey: 'store:prod/secret-key',
      },
      dokploy: { server: 'main', composeId: 'cmp_123' },
      migrationsDir: 'db/migrations',
      backups: {
        storage: { type: 's3', bucket: 'backups', prefix: 'prod/', accessKeyId: 'env:S3_KEY' },
        encryptionKey: 'env:BACKUP_KEY',
        retention: { keepLast: 7, keepDays: 30 },
      },
      labels: { production: true, team: 'core', tier: 1 },
      allowServiceKey: false,
    },
    dev: { kind: 'sandbox' },
  },
  dokployServers: { main: { url: 'https://dokploy.example.com', apiKey: 'env:DOKPLOY_KEY' } },
  secretStore: { keyEnv: 'MY_KEY' },
  audit: { enabled: true, path: 'audit.jsonl' },
  mcp: { http: { host: '127.0.0.1', port: 8808, token: 'env:MCP_TOKEN', allowedOrigins: [] } },
};

describe('validateConfig', () => {
  it('accepts a full configuration and keeps it as is', () => {
    expect(validateConfig(full)).toEqual(full);
  });

  it('fills the defaults of an empty file', () => {
    expect(validateConfig({})).toEqual({ version: 1, instances: {}, dokployServers: {} });
  });

  it('names the field path and the fix of a wrong kind', () => {
    const issues = issuesOf({ instances: { prod: { kind: 'kubernetes' } } });
    expect(issues).toEqual([
      {
        path: 'instances.prod.kind',
        message: expect.stringMatching(/must be "sandbox" or .*"cloud"\. Fix: /),
      },
    ]);
  });

  it('says a missing required field is required', () => {
    const [issue] = issuesOf({ instances: { prod: { database: {} } } });
    expect(issue).toEqual({
      path: 'instances.prod.kind',
      message: expect.stringMatching(/is required.*Fix: add/),
    });
  });

  it('names each unknown field at its own path', () => {
    const issues = issuesOf({ instances: { a: { kind: 'cloud', databse: {}, lables: {} } } });
    expect(issues.map((i) => i.path)).toEqual(['instances.a.databse', 'instances.a.lables']);
    expect(issues[0]?.message).toMatch(
      /not a known field\. Fix: remove it or correct the spelling/,
    );
  });

  it('reports a wrong type with what was given', () => {
    const [issue] = issuesOf({ instances: { a: { kind: 'cloud', allowServiceKey: 'yes' } } });
    expect(issue?.path).toBe('instances.a.allowServiceKey');
    expect(issue?.message).toMatch(/must be boolean, got string/);
  });

  it('rejects a literal password inside a connection string, naming the fix', () => {
    const issues = issuesOf({
      instances: {
        prod: {
          kind: 'self-hosted',
          database: { session: 'postgres://postgres:hunter22@db:5432/postgres' },
        },
      },
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('instances.prod.database.session');
    expect(issues[0]?.message).toMatch(
      /literal password.*database\.password.*env:NAME.*file:PATH.*store:NAME/,
    );
    // the secret itself is never repeated, not even in the chained zod error
    expect(JSON.stringify(issues)).not.toContain('hunter22');
    try {
      validateConfig({
        instances: { p: { kind: 'cloud', api: { url: 'https://x.co', anonKey: 'hunter22' } } },
      });
    } catch (error) {
      const cause = (error as Error).cause as Error & { issues: unknown[] };
      expect(
        `${(error as Error).message}${cause.message}${JSON.stringify(cause.issues)}`,
      ).not.toContain('hunter22');
    }
  });

  it('rejects a password in the query or key=value form too', () => {
    const issues = issuesOf({
      instances: {
        a: {
          kind: 'cloud',
          database: {
            session: 'postgres://u@h/db?password=x',
            transaction: "host=h user=u password='s3cret'",
          },
        },
      },
    });
    expect(issues.map((i) => i.path)).toEqual([
      'instances.a.database.session',
      'instances.a.database.transaction',
    ]);
  });

  it('rejects literal keys wherever a secret reference is expected', () => {
    const issues = issuesOf({
      instances: {
        a: {
          kind: 'cloud',
          api: { url: 'https://x.supabase.co', serviceRoleKey: 'eyJhbGciOi.literal' },
        },
      },
      dokployServers: { main: { url: 'https://d.example.com', apiKey: 'dk_live_123' } },
      mcp: { http: { token: 'plain' } },
    });
    expect(issues.map((i) => i.path)).toEqual([
      'instances.a.api.serviceRoleKey',
      'dokployServers.main.apiKey',
      'mcp.http.token',
    ]);
    for (const issue of issues)
      expect(issue.message).toMatch(/not a literal value\. Fix: .*env:NAME/);
  });

  it('rejects a database value that is no connection string', () => {
    const [issue] = issuesOf({
      instances: { a: { kind: 'cloud', database: { session: 'db.example.com' } } },
    });
    expect(issue?.message).toMatch(/neither a secret reference nor a PostgreSQL connection string/);
  });

  it('rejects names that cannot be used on a command line', () => {
    const issues = issuesOf({ instances: { 'bad name': { kind: 'cloud' } } });
    expect(issues[0]?.path).toBe('instances.bad name');
    expect(issues[0]?.message).toMatch(/not a valid name/);
  });

  it('rejects a non-http API URL', () => {
    const [issue] = issuesOf({ instances: { a: { kind: 'cloud', api: { url: 'ftp://x' } } } });
    expect(issue).toEqual({
      path: 'instances.a.api.url',
      message: expect.stringMatching(/http\(s\) URL/),
    });
  });

  it('checks that defaultInstance and dokploy.server point at something', () => {
    const issues = issuesOf({
      defaultInstance: 'nope',
      instances: { a: { kind: 'dokploy', dokploy: { server: 'missing', composeId: 'c' } } },
      dokployServers: { main: { url: 'https://d.example.com', apiKey: 'env:K' } },
    });
    expect(issues).toEqual([
      { path: 'defaultInstance', message: expect.stringMatching(/"nope".*Fix: use one of "a"/) },
      {
        path: 'instances.a.dokploy.server',
        message: expect.stringMatching(/"missing".*not registered\. Fix: .*"main"/),
      },
    ]);
  });

  it('skips cross-references on request (one file of several)', () => {
    const raw = {
      instances: { a: { kind: 'dokploy', dokploy: { server: 'elsewhere', composeId: 'c' } } },
    };
    expect(validateConfig(raw, { crossReferences: false }).instances.a?.dokploy?.server).toBe(
      'elsewhere',
    );
  });

  it('names the file in the message and is a ConfigError', () => {
    try {
      validateConfig({ version: 2 }, { file: '/x/supaops.config.json' });
      expect.unreachable();
    } catch (error) {
      expect(ConfigError.isInstance(error)).toBe(true);
      expect((error as ConfigError).code).toBe('CONFIG_VALIDATION_FAILED');
      expect((error as Error).message).toContain('in /x/supaops.config.json');
      expect((error as Error).message).toContain('version: must be 1');
    }
  });

  it('rejects a value that is not an object at the root', () => {
    expect(issuesOf([])[0]).toEqual({
      path: '(root)',
      message: expect.stringMatching(/must be object, got array/),
    });
  });

  it('explains an unknown backup storage type', () => {
    const [issue] = issuesOf({
      instances: { a: { kind: 'cloud', backups: { storage: { type: 'gcs' } } } },
    });
    expect(issue?.path).toBe('instances.a.backups.storage.type');
  });

  it('keeps limits with the fix', () => {
    const [issue] = issuesOf({ mcp: { http: { port: 70000 } } });
    expect(issue?.path).toBe('mcp.http.port');
    expect(issue?.message).toMatch(/Fix: change the value/);
  });
});
