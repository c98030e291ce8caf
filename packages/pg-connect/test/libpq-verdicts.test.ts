import { beforeAll, describe, expect, it } from 'vitest';
import { parseConnectionTarget } from '../src/index.js';
import { closedPort, libpqAccepts } from './psql.js';

// Each string goes through libpq (psql 15) and through parseConnectionTarget; the verdicts
// (accepted or refused) must agree, except where pg-connect deliberately differs (`differs`
// names why; the README lists these). `{port}` is a loopback port with nothing behind it.
interface Row {
  s: string;
  differs?: string;
}

const rows: Row[] = [
  // TLS is never dropped; unknown parameters are refused
  { s: 'postgresql://u:p@127.0.0.1:{port}/db?sslmod=require' },
  { s: 'host=127.0.0.1 port={port} user=u sslmod=require' },
  { s: 'postgresql://u:p@127.0.0.1:{port}/db?ssl=true' },
  { s: 'postgresql://u:p@127.0.0.1:{port}/db?ssl=1' },
  { s: 'host=127.0.0.1 port={port} ssl=true' },
  { s: 'postgresql://u:p@127.0.0.1:{port}/db?requiressl=1' },
  { s: 'host=127.0.0.1 port={port} requiressl=1' },
  { s: 'postgresql://u@127.0.0.1:{port}/db?requiressl=0&sslmode=require' },
  { s: 'postgresql://u@127.0.0.1:{port}/db?sslmode=on' },
  { s: 'postgresql://u@127.0.0.1:{port}/db?sslmode=' },
  { s: 'postgresql://u@127.0.0.1:{port}/db?SSLMODE=require' },
  { s: 'host=127.0.0.1 port={port} pgbouncer=true' },
  { s: 'host=127.0.0.1 port={port} gssencmode=banana' },
  { s: 'host=127.0.0.1 port={port} channel_binding=require' },
  { s: 'host=127.0.0.1 port={port} ssl_min_protocol_version=tlsv1.2' },
  {
    s: 'host=127.0.0.1 port={port} ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.2',
  },
  { s: 'postgresql://u@127.0.0.1:{port}/db?sslmode=no-verify', differs: "node-postgres's sslmode" },
  { s: 'postgresql://u@127.0.0.1:{port}/db?pgbouncer=true', differs: "Prisma's flag" },
  { s: 'postgresql://u@127.0.0.1:{port}/db?uselibpqcompat=true', differs: "node-postgres's flag" },
  // target_session_attrs and the integers
  { s: 'postgresql://u@127.0.0.1:{port}/db?target_session_attrs=read-write' },
  { s: 'postgresql://u@127.0.0.1:{port}/db?target_session_attrs=prefer-standby' },
  { s: 'postgresql://u@127.0.0.1:{port}/db?target_session_attrs=master' },
  { s: 'host=127.0.0.1 port={port} target_session_attrs=Any' },
  { s: 'host=127.0.0.1 port={port} connect_timeout=soon' },
  { s: 'host=127.0.0.1 port={port} connect_timeout=-5' },
  { s: "host=127.0.0.1 port=' {port} '" },
  { s: 'host=127.0.0.1 port=+{port}' },
  { s: 'host=127.0.0.1 port=0x10' },
  { s: 'host=127.0.0.1 port=70000' },
  { s: 'host=127.0.0.1 port={port} keepalives=x' },
  // hostaddr beside host
  { s: 'host=example.invalid hostaddr=127.0.0.1 port={port}' },
  { s: 'postgresql://u@example.invalid:{port}/db?hostaddr=127.0.0.1' },
  { s: 'hostaddr=localhost port={port}' },
  // passwords with raw characters
  { s: 'postgresql://u:p?ss@127.0.0.1:{port}/db' },
  { s: 'postgresql://u:p#ss@127.0.0.1:{port}/db' },
  { s: 'postgresql://u:p ss@127.0.0.1:{port}/db' },
  { s: 'postgresql://u:p\\ss@127.0.0.1:{port}/db' },
  { s: 'postgresql://u:p/ss@127.0.0.1:{port}/db' },
  { s: 'postgresql://u:p%zz@127.0.0.1:{port}/db' },
  { s: 'postgresql://u:p%00x@127.0.0.1:{port}/db' },
  { s: 'postgresql://u:p%ff@127.0.0.1:{port}/db', differs: 'bytes that are not UTF-8' },
  { s: "host=127.0.0.1 port={port} password='a b\\'c'" },
  { s: 'host=127.0.0.1 port={port} password=a b' },
  { s: "host=127.0.0.1 port={port} password='unterminated" },
  // scheme, whitespace, %00
  { s: 'POSTGRESQL://u@127.0.0.1:{port}/db?sslmode=disable' },
  { s: '  postgresql://u@127.0.0.1:{port}/db?sslmode=disable' },
  { s: 'postgresql://u@127.0.0.1:{port}/db?sslmode=disable ' },
  { s: 'postgresql://u@127.0.0.1:{port}/db ' },
  { s: '  host=127.0.0.1 port={port}  ' },
  { s: 'postgresql://u@127.0.0.1:{port}/d%00b' },
  // URL structure
  { s: 'postgresql://u@127.0.0.1:{port}/db/extra' },
  { s: 'postgresql://u@127.0.0.1:{port}/db?sslmode=disable&&application_name=x' },
  { s: 'postgresql://u@127.0.0.1:{port}/db?&sslmode=disable' },
  { s: 'postgresql://u@127.0.0.1:{port}/db?sslmode=disable&' },
  { s: 'postgresql://u@127.0.0.1:{port}/db?options=-c%20a=b' },
  { s: 'postgresql://u@127.0.0.1:{port}/db?options=-c%20a%3Db' },
  { s: 'postgresql://[]:{port}/db?sslmode=disable' },
  { s: 'postgresql://[::1]x/db?sslmode=disable' },
  { s: 'postgresql://u@[::1]:{port}/db' },
  { s: 'postgresql://127.0.0.1:{port},127.0.0.1:{port}/db', differs: 'one host per target' },
  { s: 'postgresql://' },
  { s: 'postgresql://:{port}/db' },
  { s: 'host=127.0.0.1 port={port} colour=blue' },
  { s: 'host=127.0.0.1 port={port} HOST=x' },
  { s: 'host=127.0.0.1 port={port} =x' },
];

function oursAccepts(conninfo: string): boolean {
  try {
    parseConnectionTarget(conninfo);
    return true;
  } catch {
    return false;
  }
}

let port = 0;
beforeAll(async () => {
  port = await closedPort();
});

describe('accept/refuse verdicts match libpq (psql 15)', () => {
  it('covers a few dozen strings', () => {
    expect(rows.length).toBeGreaterThanOrEqual(48);
  });

  it.each(rows)('$s', async ({ s, differs }) => {
    const conninfo = s.replaceAll('{port}', String(port));
    const libpq = await libpqAccepts(conninfo, port);
    const ours = oursAccepts(conninfo);
    if (differs) expect(ours, `deliberate difference: ${differs}`).toBe(!libpq);
    else expect(ours).toBe(libpq);
  });
});
