import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { lookupOsUser } from './os-user.js';

it('reads a user from a passwd file and reports a missing one', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'pw-')), 'passwd');
  writeFileSync(
    file,
    'root:x:0:0:root:/root:/bin/bash\npostgres:x:101:104::/var/lib/postgresql:/bin/bash\n',
  );
  expect(lookupOsUser('postgres', file)).toEqual({
    uid: 101,
    gid: 104,
    home: '/var/lib/postgresql',
  });
  expect(lookupOsUser('nobody-here', file)).toBeUndefined();
  expect(lookupOsUser('postgres', '/nonexistent/passwd')).toBeUndefined();
});

it('as root, insists on a postgres OS user; otherwise the server runs as ourselves', async () => {
  const { isRoot, serverOsUser } = await import('./os-user.js');
  const { SandboxOsUserError } = await import('./errors.js');
  const file = join(mkdtempSync(join(tmpdir(), 'pw-')), 'passwd');
  writeFileSync(file, 'root:x:0:0:root:/root:/bin/bash\n');
  if (isRoot()) {
    expect(() => serverOsUser(file)).toThrowError(SandboxOsUserError);
    expect(() => serverOsUser(file)).toThrowError(/Fix: `useradd/);
  } else {
    expect(serverOsUser(file)).toBeUndefined();
  }
});
