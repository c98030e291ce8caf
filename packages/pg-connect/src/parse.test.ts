import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConnectionStringError, PgConnectError } from './errors.js';
import { LIBPQ_KEYS } from './libpq-keys.js';
import { type ParseOptions, parseConnectionTarget } from './parse.js';
import { redactConnectionString } from './redact.js';
import { redactTarget, renderKeyValue, renderUrl } from './render.js';
import type { ConnectionTarget } from './target.js';

type Input = string | Record<string, string | undefined>;
interface Ok {
  name: string;
  input: Input;
  options?: ParseOptions;
  expect: Partial<ConnectionTarget>;
  /** The mode came from an option, so a plain round trip cannot reproduce it. */
  forcedMode?: boolean;
}
interface Bad {
  name: string;
  input: Input;
  options?: ParseOptions;
  part: string;
  /** A secret that must not appear in the message. */
  secret?: string;
}

const REF = 'abcdefghijklmnopqrst';
// libpq's defaults: the OS user, the unix socket directory (Debian/Red Hat or upstream)
const OS_USER = userInfo().username;
const SOCKET_DIR = expect.stringMatching(/^\/(?:var\/run\/postgresql|tmp)$/);
const TENANT = '8a3f2c1e-4b5d-4e6f-9a7b-1c2d3e4f5a6b';
const ENV = {
  POSTGRES_PASSWORD: 'pw-from-env',
  POSTGRES_HOST: 'db',
  POSTGRES_PORT: '5432',
  POSTGRES_DB: 'postgres',
  POOLER_TENANT_ID: TENANT,
  POOLER_PROXY_PORT_TRANSACTION: '6543',
};

const ok: Ok[] = [
  // URLs
  {
    name: 'plain url',
    input: 'postgresql://postgres:secret@localhost:5432/postgres',
    expect: {
      host: 'localhost',
      port: 5432,
      user: 'postgres',
      password: 'secret',
      database: 'postgres',
      mode: 'direct',
      hostKind: 'loopback',
      source: 'url',
    },
  },
  {
    name: 'postgres scheme',
    input: 'postgres://u:p@example.com/app',
    expect: { host: 'example.com', port: 5432, database: 'app', hostKind: 'hostname' },
  },
  { name: 'no port', input: 'postgresql://u:p@h.example.org/db', expect: { port: 5432 } },
  {
    name: 'no database',
    input: 'postgresql://u:p@h.example.org:5433',
    expect: { database: 'u', port: 5433 },
  },
  {
    name: 'no password',
    input: 'postgresql://u@h.example.org/db',
    expect: { password: undefined, user: 'u' },
  },
  { name: 'empty password', input: 'postgresql://u:@h.example.org/db', expect: { password: '' } },
  {
    name: 'percent-encoded password',
    input: 'postgresql://u:p%40ss%2Fw%3Ard%25@h.example.org/db',
    expect: { password: 'p@ss/w:rd%' },
  },
  {
    name: 'percent-encoded user',
    input: 'postgresql://us%40er:p@h.example.org/db',
    expect: { user: 'us@er' },
  },
  {
    name: 'unicode password',
    input: `postgresql://u:${encodeURIComponent('pässwörd€')}@h.example.org/db`,
    expect: { password: 'pässwörd€' },
  },
  {
    name: 'unencoded @ in password',
    input: 'postgresql://postgres:p@ss@db.example.com:5432/postgres',
    expect: { password: 'p@ss', host: 'db.example.com' },
  },
  {
    name: 'encoded database',
    input: 'postgresql://u:p@h.example.org/my%20db',
    expect: { database: 'my db' },
  },
  {
    name: 'ipv6 host',
    input: 'postgresql://u:p@[2001:db8::1]:5433/db',
    expect: { host: '2001:db8::1', port: 5433, hostKind: 'ip' },
  },
  {
    name: 'ipv6 loopback no port',
    input: 'postgresql://u:p@[::1]/db',
    expect: { host: '::1', port: 5432, hostKind: 'loopback' },
  },
  {
    name: 'ipv4 host',
    input: 'postgresql://u:p@203.0.113.7:5432/db',
    expect: { host: '203.0.113.7', hostKind: 'ip' },
  },
  {
    name: 'sslmode param',
    input: 'postgresql://u:p@h.example.org/db?sslmode=require',
    expect: { params: { sslmode: 'require' } },
  },
  {
    name: 'all documented params',
    input:
      'postgresql://u:p@h.example.org/db?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=my%20app&options=-c%20search_path%3Dauth&connect_timeout=10',
    expect: {
      params: {
        sslmode: 'verify-full',
        sslrootcert: '/etc/ca.pem',
        application_name: 'my app',
        options: '-c search_path=auth',
        connect_timeout: '10',
      },
    },
  },
  {
    name: 'password in query',
    input: 'postgresql://u@h.example.org/db?password=s%26cret',
    expect: { password: 's&cret', params: {} },
  },
  {
    name: 'user and dbname in query',
    input: 'postgresql://h.example.org?user=bob&dbname=app',
    expect: { user: 'bob', database: 'app' },
  },
  {
    name: 'unknown param kept',
    input: 'postgresql://u:p@h.example.org/db?uselibpqcompat=true',
    expect: { params: { uselibpqcompat: 'true' } },
  },
  {
    name: 'socket via encoded host',
    input: 'postgresql://postgres@%2Fvar%2Frun%2Fpostgresql:5432/postgres',
    expect: { host: '/var/run/postgresql', hostKind: 'socket' },
  },
  {
    name: 'socket via host param',
    input: 'postgresql://postgres@/postgres?host=/tmp/pg',
    expect: { host: '/tmp/pg', hostKind: 'socket' },
  },
  {
    name: 'trailing whitespace kept in the last part, as libpq does',
    input: 'postgresql://u:p@h.example.org/db \n',
    expect: { host: 'h.example.org', database: 'db \n' },
  },
  {
    name: 'raw # in the password (libpq has no fragments)',
    input: 'postgresql://u:pa#ss@h.example.org/db',
    expect: { password: 'pa#ss', host: 'h.example.org' },
  },
  {
    name: 'path with a slash is the database name',
    input: 'postgresql://u:p@h.example.org/db/extra',
    expect: { database: 'db/extra' },
  },
  {
    name: 'no user in url: the OS user',
    input: 'postgresql://h.example.org/db',
    expect: { user: OS_USER, database: 'db' },
  },
  // Supabase cloud
  {
    name: 'cloud direct',
    input: `postgresql://postgres:pw@db.${REF}.supabase.co:5432/postgres`,
    expect: { hostKind: 'supabase-cloud-direct', mode: 'direct', projectRef: REF, pooler: null },
  },
  {
    name: 'cloud direct pgbouncer 6543',
    input: `postgresql://postgres:pw@db.${REF}.supabase.co:6543/postgres`,
    expect: { mode: 'transaction', pooler: 'pgbouncer' },
  },
  {
    name: 'cloud session pooler',
    input: `postgresql://postgres.${REF}:pw@aws-0-eu-central-1.pooler.supabase.com:5432/postgres`,
    expect: {
      hostKind: 'supabase-cloud-pooler',
      mode: 'session',
      pooler: 'supavisor',
      tenant: REF,
      role: 'postgres',
      projectRef: REF,
      region: 'eu-central-1',
    },
  },
  {
    name: 'cloud transaction pooler',
    input: `postgresql://postgres.${REF}:pw@aws-0-us-east-1.pooler.supabase.com:6543/postgres`,
    expect: {
      mode: 'transaction',
      region: 'us-east-1',
      forbids: {
        advisoryLocks: true,
        sessionSet: true,
        preparedStatements: true,
        listenNotify: true,
        sessionTempTables: true,
      },
    },
  },
  {
    name: 'cloud pooler aws-1',
    input: `postgresql://postgres.${REF}:pw@aws-1-ap-southeast-2.pooler.supabase.com:5432/postgres`,
    expect: { region: 'ap-southeast-2', mode: 'session' },
  },
  {
    name: 'cloud pooler tenant-less user',
    input: 'postgresql://postgres:pw@aws-0-eu-west-2.pooler.supabase.com:6543/postgres',
    expect: { pooler: 'supavisor', tenant: null, mode: 'transaction' },
  },
  // self-hosted Supavisor and Docker
  {
    name: 'self-hosted session pooler',
    input: `postgresql://postgres.${TENANT}:pw@203.0.113.7:5432/postgres`,
    expect: { mode: 'session', pooler: 'supavisor', tenant: TENANT, role: 'postgres' },
  },
  {
    name: 'self-hosted transaction pooler',
    input: `postgresql://postgres.${TENANT}:pw@203.0.113.7:6543/postgres`,
    expect: {
      mode: 'transaction',
      forbids: {
        advisoryLocks: true,
        sessionSet: true,
        preparedStatements: true,
        listenNotify: true,
        sessionTempTables: true,
      },
    },
  },
  {
    name: 'supavisor service name',
    input: `postgresql://postgres.${TENANT}:pw@supavisor:6543/postgres`,
    expect: { hostKind: 'docker-internal', mode: 'transaction' },
  },
  {
    name: 'supavisor service session',
    input: 'postgresql://postgres.t1:pw@supavisor:5432/postgres',
    expect: { mode: 'session', tenant: 't1' },
  },
  {
    name: 'docker db host',
    input: 'postgresql://postgres:pw@db:5432/postgres',
    expect: {
      hostKind: 'docker-internal',
      mode: 'direct',
      forbids: {
        advisoryLocks: false,
        sessionSet: false,
        preparedStatements: false,
        listenNotify: false,
        sessionTempTables: false,
      },
    },
  },
  {
    name: 'docker supabase-db host',
    input: 'postgresql://supabase_admin:pw@supabase-db:5432/postgres',
    expect: { hostKind: 'docker-internal', role: 'supabase_admin' },
  },
  {
    name: 'any compose service',
    input: 'postgresql://postgres:pw@my-stack-db-1:5432/postgres',
    expect: { hostKind: 'docker-internal' },
  },
  {
    name: 'pgbouncer flag',
    input: 'postgresql://postgres:pw@h.example.org:5432/postgres?pgbouncer=true',
    expect: { mode: 'transaction', pooler: 'pgbouncer' },
  },
  {
    name: 'plain 6543 is transaction',
    input: 'postgresql://postgres:pw@h.example.org:6543/postgres',
    expect: { mode: 'transaction' },
  },
  {
    name: 'role with dot on cloud direct is not a tenant',
    input: `postgresql://postgres.x:pw@db.${REF}.supabase.co:5432/postgres`,
    expect: { mode: 'direct', tenant: null, role: 'postgres.x' },
  },
  {
    name: 'mode override',
    input: 'postgresql://postgres:pw@h.example.org:7000/postgres',
    options: { mode: 'transaction' },
    expect: { mode: 'transaction', pooler: 'supavisor' },
    forcedMode: true,
  },
  {
    name: 'host override',
    input: 'postgresql://postgres:pw@db:5432/postgres',
    options: { host: '127.0.0.1', port: 54322 },
    expect: { host: '127.0.0.1', port: 54322, hostKind: 'loopback' },
  },
  // libpq key=value
  {
    name: 'key=value basic',
    input: 'host=db port=5432 user=postgres password=secret dbname=postgres',
    expect: { host: 'db', user: 'postgres', password: 'secret', source: 'keyvalue' },
  },
  {
    name: 'key=value spaces around =',
    input: 'host = db  port= 6543 user =postgres.t1 dbname=postgres',
    expect: { port: 6543, mode: 'transaction', tenant: 't1' },
  },
  {
    name: 'key=value quoted password with space',
    input: "host=h.example.org user=u password='a b c' dbname=d",
    expect: { password: 'a b c' },
  },
  {
    name: 'key=value escaped quote',
    input: "host=h.example.org user=u password='it\\'s' dbname=d",
    expect: { password: "it's" },
  },
  {
    name: 'key=value escaped backslash',
    input: "host=h.example.org user=u password='back\\\\slash'",
    expect: { password: 'back\\slash' },
  },
  {
    name: 'key=value empty quoted value',
    input: "host=h.example.org user=u password=''",
    expect: { password: '' },
  },
  {
    name: 'key=value unquoted escape',
    input: 'host=h.example.org user=u password=a\\ b',
    expect: { password: 'a b' },
  },
  {
    name: 'key=value socket',
    input: 'host=/var/run/postgresql user=postgres dbname=postgres',
    expect: { host: '/var/run/postgresql', hostKind: 'socket' },
  },
  {
    name: 'key=value params',
    input:
      "host=h.example.org user=u sslmode=verify-ca sslrootcert=/ca.pem application_name='my app' options='-c statement_timeout=5s' connect_timeout=3",
    expect: {
      params: {
        sslmode: 'verify-ca',
        sslrootcert: '/ca.pem',
        application_name: 'my app',
        options: '-c statement_timeout=5s',
        connect_timeout: '3',
      },
    },
  },
  {
    name: 'key=value hostaddr',
    input: 'hostaddr=10.0.0.5 user=u',
    expect: { host: '10.0.0.5', hostKind: 'ip' },
  },
  {
    name: 'key=value defaults',
    input: 'user=u',
    expect: { host: SOCKET_DIR, hostKind: 'socket', port: 5432, database: 'u' },
  },
  {
    name: 'key=value without user: the OS user',
    input: 'host=h.example.org dbname=d',
    expect: { user: OS_USER, database: 'd' },
  },
  // environment
  {
    name: 'PG env',
    input: {
      PGHOST: 'db.example.com',
      PGPORT: '6432',
      PGUSER: 'app',
      PGPASSWORD: 'pw',
      PGDATABASE: 'appdb',
      PGSSLMODE: 'require',
      PGAPPNAME: 'x',
    },
    expect: {
      host: 'db.example.com',
      port: 6432,
      user: 'app',
      password: 'pw',
      database: 'appdb',
      params: { sslmode: 'require', application_name: 'x' },
      source: 'env',
    },
  },
  {
    name: 'PG env minimal',
    input: { PGPASSWORD: 'pw' },
    expect: { host: SOCKET_DIR, user: OS_USER, database: OS_USER },
  },
  { name: 'PG env socket', input: { PGHOST: '/tmp', PGUSER: 'u' }, expect: { hostKind: 'socket' } },
  {
    name: 'self-host env direct',
    input: ENV,
    expect: {
      host: 'db',
      port: 5432,
      user: 'postgres',
      password: 'pw-from-env',
      mode: 'direct',
      source: 'dotenv',
    },
  },
  {
    name: 'self-host env session',
    input: ENV,
    options: { via: 'session' },
    expect: {
      host: 'supavisor',
      port: 5432,
      user: `postgres.${TENANT}`,
      mode: 'session',
      tenant: TENANT,
    },
  },
  {
    name: 'self-host env transaction',
    input: ENV,
    options: { via: 'transaction' },
    expect: { port: 6543, mode: 'transaction', tenant: TENANT },
  },
  {
    name: 'self-host env custom tx port from outside',
    input: { ...ENV, POOLER_PROXY_PORT_TRANSACTION: '7543' },
    options: { via: 'transaction', host: '203.0.113.7' },
    expect: { host: '203.0.113.7', port: 7543, mode: 'transaction' },
    forcedMode: true,
  },
  {
    name: 'self-host env other role',
    input: ENV,
    options: { via: 'session', user: 'supabase_admin' },
    expect: { user: `supabase_admin.${TENANT}`, role: 'supabase_admin' },
  },
  {
    name: '.env text',
    input: `# Supabase\nPOSTGRES_PASSWORD="quoted pw"\nPOSTGRES_HOST=db\nPOSTGRES_DB=postgres # comment\nexport POOLER_TENANT_ID=${TENANT}\n`,
    expect: { password: 'quoted pw', host: 'db', database: 'postgres' },
  },
  {
    name: '.env text single quotes',
    input: "POSTGRES_PASSWORD='a#b'\nPOSTGRES_PORT=5433\n",
    expect: { password: 'a#b', port: 5433 },
  },
  {
    name: 'PG env text',
    input: 'PGHOST=h.example.org\nPGUSER=u\nPGPASSWORD=p\n',
    expect: { host: 'h.example.org', user: 'u', source: 'env' },
  },
];

const bad: Bad[] = [
  { name: 'empty', input: '', part: 'input' },
  {
    name: 'upper-case scheme (libpq does not recognize it)',
    input: 'POSTGRESQL://u:p@example.com/app',
    part: 'scheme',
  },
  {
    name: 'leading whitespace (libpq then reads key=value)',
    input: '  postgresql://u:p@h.example.org/db',
    part: 'input',
  },
  { name: 'mysql scheme', input: 'mysql://u:p@h/db', part: 'scheme' },
  { name: 'http scheme', input: 'https://example.com', part: 'scheme' },
  { name: 'bare host', input: `db.${REF}.supabase.co:5432`, part: 'scheme' },
  { name: 'gibberish', input: 'not a connection string', part: 'format' },
  { name: 'bad port', input: 'postgresql://u:p@h.example.org:54x2/db', part: 'port' },
  { name: 'port out of range', input: 'postgresql://u:p@h.example.org:70000/db', part: 'port' },
  { name: 'port zero', input: 'postgresql://u:p@h.example.org:0/db', part: 'port' },
  {
    name: 'bad percent in password',
    input: 'postgresql://u:pa%zzword@h.example.org/db',
    part: 'password',
    secret: 'pa%zzword',
  },
  { name: 'bad percent in user', input: 'postgresql://u%g1:p@h.example.org/db', part: 'user' },
  { name: 'unclosed ipv6', input: 'postgresql://u:p@[2001:db8::1/db', part: 'host' },
  { name: 'ipv6 without brackets', input: 'postgresql://u:p@2001:db8::1:5432/db', part: 'host' },
  { name: 'garbage after ipv6', input: 'postgresql://u:p@[::1]x/db', part: 'host' },
  { name: 'multiple hosts', input: 'postgresql://u:p@h1,h2/db', part: 'host' },
  {
    name: 'bad sslmode',
    input: 'postgresql://u:p@h.example.org/db?sslmode=on',
    part: 'parameter sslmode',
  },
  {
    name: 'bad connect_timeout',
    input: 'postgresql://u:p@h.example.org/db?connect_timeout=soon',
    part: 'parameter connect_timeout',
  },
  {
    name: 'param without value',
    input: 'postgresql://u:p@h.example.org/db?sslmode',
    part: 'parameters',
  },
  { name: 'kv unknown key', input: 'host=h user=u colour=blue', part: 'key colour' },
  {
    name: 'kv unclosed quote hides password',
    input: "host=h user=u password='s3cr3t-value",
    part: 'password',
    secret: 's3cr3t-value',
  },
  { name: 'kv missing =', input: 'host=h user', part: 'key' },
  { name: 'kv bad port', input: 'host=h port=abc user=u', part: 'port' },
  { name: 'kv multiple hosts', input: 'host=a,b user=u', part: 'host' },
  { name: 'env without PG vars', input: { HOME: '/root' }, part: 'environment' },
  { name: 'env bad PGPORT', input: { PGPORT: 'x', PGUSER: 'u' }, part: 'PGPORT' },
  {
    name: 'env bad PGSSLMODE',
    input: { PGSSLMODE: 'yes', PGUSER: 'u' },
    part: 'parameter sslmode',
  },
  { name: 'dotenv without password', input: { POOLER_TENANT_ID: 't' }, part: 'POSTGRES_PASSWORD' },
  {
    name: 'dotenv pooler without tenant',
    input: { POSTGRES_PASSWORD: 'hidden-pw' },
    options: { via: 'session' },
    part: 'POOLER_TENANT_ID',
    secret: 'hidden-pw',
  },
  {
    name: 'dotenv bad port',
    input: { POSTGRES_PASSWORD: 'x', POSTGRES_PORT: 'abc' },
    part: 'POSTGRES_PORT',
  },
  {
    name: 'dotenv text bad line',
    input: 'POSTGRES_PASSWORD=x\nthis is not a pair\n',
    part: '.env line 2',
  },
  {
    name: 'dotenv text unclosed quote',
    input: 'POSTGRES_PASSWORD="abc\n',
    part: '.env POSTGRES_PASSWORD',
  },
];

function core(t: ConnectionTarget) {
  const { source: _s, notes: _n, ...rest } = t;
  return rest;
}

describe('parseConnectionTarget: accepted formats', () => {
  it('has at least 60 cases in all', () => {
    expect(ok.length + bad.length).toBeGreaterThanOrEqual(60);
  });
  it.each(ok)('$name', ({ input, options, expect: want, forcedMode }) => {
    const t = parseConnectionTarget(input, options);
    expect(t).toMatchObject(want as Record<string, unknown>);
    // the password never shows in the redacted form
    if (t.password && t.password.length > 2)
      expect(redactTarget(t)).not.toContain(encodeURIComponent(t.password));
    // round trips: URL and key=value give the same target back
    if (Object.keys(t.params).every((k) => LIBPQ_KEYS.has(k))) {
      const again = parseConnectionTarget(renderUrl(t), forcedMode ? { mode: t.mode } : {});
      expect(core(again)).toEqual(core(t));
      const kv = parseConnectionTarget(renderKeyValue(t), forcedMode ? { mode: t.mode } : {});
      expect(core(kv)).toEqual(core(t));
    } else {
      // client-only flags (pgbouncer=true, ...) never reach a rendered string: libpq refuses them
      expect(renderKeyValue(t)).not.toMatch(/pgbouncer|uselibpqcompat/);
      expect(renderUrl(t)).not.toMatch(/pgbouncer|uselibpqcompat/);
      const again = parseConnectionTarget(renderUrl(t), { mode: t.mode });
      const libpqParams = Object.fromEntries(
        Object.entries(t.params).filter(([k]) => LIBPQ_KEYS.has(k)),
      );
      const { host, port, user, password, database } = t;
      expect(again).toMatchObject({ host, port, user, password, database, mode: t.mode });
      expect(again.params).toEqual(libpqParams);
    }
  });
});

describe('parseConnectionTarget: malformed input', () => {
  it.each(bad)('$name', ({ input, options, part, secret }) => {
    let caught: unknown;
    try {
      parseConnectionTarget(input, options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConnectionStringError);
    const e = caught as ConnectionStringError;
    expect(e.part).toBe(part);
    expect(e.code).toBe('CONNECTION_STRING_INVALID');
    expect(PgConnectError.isInstance(e)).toBe(true);
    expect(e.message).toMatch(/Fix:/);
    if (secret) expect(e.message).not.toContain(secret);
  });

  it('validates options with zod', () => {
    expect(() => parseConnectionTarget('user=u', { port: 0 } as ParseOptions)).toThrowError(
      /Invalid parseConnectionTarget options/,
    );
    expect(() => parseConnectionTarget(42 as unknown as string)).toThrowError(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });

  it('records an unencoded @ as a parse note', () => {
    const t = parseConnectionTarget('postgresql://postgres:p@ss@db:5432/postgres');
    expect(t.notes.map((n) => n.code)).toEqual(['PASSWORD_UNENCODED_CHARS']);
    expect(renderUrl(t)).toBe('postgresql://postgres:p%40ss@db:5432/postgres');
  });
});

describe('redactConnectionString', () => {
  const cases: Array<[string, string, string]> = [
    ['url', 'postgresql://postgres:hunter2@db:5432/postgres', 'hunter2'],
    ['url with raw @', 'postgres://u:p@ss@host:5432/db', 'p@ss'],
    ['url query password', 'postgresql://u@h/db?sslmode=require&password=topsecret', 'topsecret'],
    ['key=value', 'host=db user=u password=hunter2 dbname=x', 'hunter2'],
    ['key=value quoted', "host=db password='a b\\' c' user=u", "a b\\' c"],
    [
      'dotenv',
      'POSTGRES_PASSWORD=hunter2\nJWT_SECRET=abcdefghijkl\nPOSTGRES_HOST=db',
      'abcdefghijkl',
    ],
    [
      'embedded url in text',
      'error connecting to postgres://a:xyzzy42@h:5432/d: refused',
      'xyzzy42',
    ],
    ['malformed', 'postgresql://u:pa%zz@[bad', 'pa%zz'],
  ];
  it.each(cases)('%s', (_name, input, secret) => {
    const out = redactConnectionString(input);
    expect(out).not.toContain(secret);
    expect(out).toContain('***');
  });
  it('keeps what is not secret', () => {
    expect(redactConnectionString('POSTGRES_PASSWORD=x\nPOSTGRES_HOST=db')).toBe(
      'POSTGRES_PASSWORD=***\nPOSTGRES_HOST=db',
    );
    expect(redactConnectionString('postgresql://u@h/db')).toBe('postgresql://u@h/db');
  });
  it('never throws', () => {
    expect(redactConnectionString(undefined as unknown as string)).toBe('***');
    expect(redactConnectionString({} as unknown as string)).toBe('***');
  });
});
