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
