import { randomBytes } from 'node:crypto';
import { useTestDatabase } from '@supaops/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  executeSql,
  parseConnectionTarget,
  quoteIdent,
  quoteLiteral,
  redactConnectionString,
  renderKeyValue,
  renderUrl,
} from '../src/index.js';
import { closedPort, runPsql } from './psql.js';

// What libpq does on a real server, compared with what pg-connect parses and connects to.
const db = useTestDatabase('libpq_defaults');

async function sql(text: string): Promise<void> {
  await executeSql(db.current.adminUrl, text);
}

describe("libpq's defaults, read from libpq's own errors", () => {
  it('no user: the OS user (the server names the user libpq sent)', async () => {
    const { host, port } = db.current;
    const conninfo = `host=${host} port=${port} password=wrong dbname=postgres`;
    const { output } = await runPsql(conninfo);
    const libpqUser = /user "([^"]+)"/.exec(output)?.[1];
    expect(libpqUser, output).toBeDefined();
    expect(parseConnectionTarget(conninfo).user).toBe(libpqUser);
  });

  it('no dbname: the user name (the server names the database libpq asked for)', async () => {
    const { host, port, password } = db.current;
    const conninfo = `host=${host} port=${port} user=authenticator password=${password}`;
    const { ok, output } = await runPsql(conninfo);
    expect(ok).toBe(false);
    const libpqDb = /database "([^"]+)" does not exist/.exec(output)?.[1];
    expect(libpqDb, output).toBe('authenticator');
    expect(parseConnectionTarget(conninfo).database).toBe(libpqDb);
    const url = `postgresql://authenticator:${password}@${host}:${port}`;
    expect(parseConnectionTarget(url).database).toBe(libpqDb);
  });

  it('no host: the unix socket directory libpq names', async () => {
    const port = await closedPort();
    const conninfo = `port=${port} user=u`;
    const { output } = await runPsql(conninfo);
    const socket = /on socket "([^"]+)\/\.s\.PGSQL\.\d+"/.exec(output)?.[1];
    expect(socket, output).toBeDefined();
    expect(parseConnectionTarget(conninfo).host).toBe(socket);
    expect(parseConnectionTarget(`postgresql://:${port}`).host).toBe(socket);
  });
});

describe('hostaddr beside host, as libpq connects', () => {
  it('a string: the connection goes to hostaddr, the host name is never resolved', async () => {
    const { port, password, name } = db.current;
    const conninfo = `host=db.example.invalid hostaddr=127.0.0.1 port=${port} user=postgres password=${password} dbname=${name}`;
    const psql = await runPsql(conninfo, {}, 'SELECT current_database()');
    expect(psql.output.trim()).toBe(name);
    const res = await executeSql(conninfo, 'SELECT current_database() AS db');
    expect(res.rows).toEqual([{ db: name }]);
    // the rendered forms reach the same server through libpq
    const target = parseConnectionTarget(conninfo);
    for (const s of [renderUrl(target), renderKeyValue(target)]) {
      expect((await runPsql(s, {}, 'SELECT current_database()')).output.trim()).toBe(name);
    }
  });

  it('PG* env: PGHOSTADDR and PGHOST both kept', async () => {
    const { port, password, name } = db.current;
    const env = {
      PGHOST: 'db.example.invalid',
      PGHOSTADDR: '127.0.0.1',
      PGPORT: String(port),
      PGUSER: 'postgres',
      PGPASSWORD: password,
      PGDATABASE: name,
    };
    expect((await runPsql(undefined, env, 'SELECT 1')).output.trim()).toBe('1');
    const target = parseConnectionTarget(env);
    expect(target).toMatchObject({ host: 'db.example.invalid', params: { hostaddr: '127.0.0.1' } });
    expect((await executeSql(target, 'SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });
});

describe('TLS is required where libpq requires it (the test server has no TLS)', () => {
  const strings = (url: string, kv: string) => [
    `${url}?ssl=true`,
    `${url}?requiressl=1`,
    `${kv} requiressl=1`,
  ];
  it.each([0, 1, 2])('string form %i fails for want of TLS in libpq and here', async (index) => {
    const { host, port, password, name } = db.current;
    const s = strings(
      `postgresql://postgres:${password}@${host}:${port}/${name}`,
      `host=${host} port=${port} user=postgres password=${password} dbname=${name}`,
    )[index]!;
    const psql = await runPsql(s);
    expect(psql.ok).toBe(false);
    expect(psql.output).toMatch(/SSL/);
    await expect(executeSql(s, 'SELECT 1')).rejects.toThrow(/SSL/);
  });

  it('PGREQUIRESSL=1', async () => {
    const { host, port, password, name } = db.current;
    const env = {
      PGHOST: host,
      PGPORT: String(port),
      PGUSER: 'postgres',
      PGPASSWORD: password,
      PGDATABASE: name,
    };
    expect((await runPsql(undefined, env)).ok).toBe(true);
    const psql = await runPsql(undefined, { ...env, PGREQUIRESSL: '1' });
    expect(psql.output).toMatch(/SSL/);
    await expect(
      executeSql(parseConnectionTarget({ ...env, PGREQUIRESSL: '1' }), 'SELECT 1'),
    ).rejects.toThrow(/SSL/);
  });
});

describe('passwords with raw ?, #, spaces and backslashes', () => {
  const role = `pgc_raw_${randomBytes(3).toString('hex')}`;
  const password = 'a?b#c d\\e';
  beforeAll(async () => {
    await sql(`CREATE ROLE ${quoteIdent(role)} LOGIN PASSWORD ${quoteLiteral(password)}`);
  });
  afterAll(async () => {
    await sql(`DROP ROLE IF EXISTS ${quoteIdent(role)}`);
  });

  it('libpq and pg-connect both log in with the raw URL; redaction hides it', async () => {
    const { host, port, name } = db.current;
    const url = `postgresql://${role}:${password}@${host}:${port}/${name}`;
    expect((await runPsql(url, {}, 'SELECT current_user')).output.trim()).toBe(role);
    expect((await executeSql(url, 'SELECT current_user AS u')).rows).toEqual([{ u: role }]);
    const target = parseConnectionTarget(url);
    expect(target.password).toBe(password);
    for (const s of [renderUrl(target), renderKeyValue(target)]) {
      expect((await runPsql(s, {}, 'SELECT current_user')).output.trim()).toBe(role);
    }
    const redacted = redactConnectionString(`could not connect to ${url}: refused`);
    expect(redacted).not.toContain('a?b');
    expect(redacted).not.toContain('d\\e');
  });
});
