import { chmodSync, chownSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockedFor } from './reachable.js';

// someone who owns nothing here and is in none of our groups
const stranger = { uid: 54321, gid: 54321, home: '/' };

describe('blockedFor', () => {
  it('finds the first directory another user cannot traverse', () => {
    const root = mkdtempSync(join(tmpdir(), 'reach-'));
    chmodSync(root, 0o700);
    mkdirSync(join(root, 'a', 'b'), { recursive: true });
    expect(blockedFor(stranger, join(root, 'a', 'b'))).toBe(root);
    chmodSync(root, 0o711);
    expect(blockedFor(stranger, join(root, 'a', 'b'))).toBeUndefined();
    // parts that do not exist yet are not judged
    expect(blockedFor(stranger, join(root, 'a', 'b', 'not', 'yet'))).toBeUndefined();
    chmodSync(join(root, 'a'), 0o750);
    expect(blockedFor(stranger, join(root, 'a', 'b', 'c'))).toBe(join(root, 'a'));
  });

  it('reads the owner and group bits for the owner and the group', () => {
    const root = mkdtempSync(join(tmpdir(), 'reach-'));
    // uid 0 may go anywhere, so as root the owner is someone we give the directory to
    const ownerUid = process.getuid!() === 0 ? 54320 : process.getuid!();
    if (ownerUid !== process.getuid!()) chownSync(root, ownerUid, process.getgid!());
    const self = { uid: ownerUid, gid: 54321, home: '/' };
    chmodSync(root, 0o700);
    expect(blockedFor(self, root)).toBeUndefined();
    chmodSync(root, 0o070);
    expect(blockedFor(self, root)).toBe(root);
    const groupMate = { uid: 54321, gid: process.getgid!(), home: '/' };
    expect(blockedFor(groupMate, root)).toBeUndefined();
    chmodSync(root, 0o700);
    expect(blockedFor(groupMate, root)).toBe(root);
    expect(blockedFor({ uid: 0, gid: 0, home: '/root' }, root)).toBeUndefined();
  });
});
