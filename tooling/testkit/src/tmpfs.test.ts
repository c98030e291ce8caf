import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { mountTmpfs } from './tmpfs.js';

it('mounts a real size-limited tmpfs (as root), or reports that it could not', () => {
  const disk = mountTmpfs('64k', 'tmpfs-test-');
  try {
    if (!disk.mounted) {
      expect(existsSync(disk.path)).toBe(false);
      return;
    }
    expect(() => writeFileSync(join(disk.path, 'big'), Buffer.alloc(256 * 1024))).toThrowError(
      /ENOSPC/,
    );
  } finally {
    disk.remove();
    disk.remove();
  }
  expect(existsSync(disk.path)).toBe(false);
});
