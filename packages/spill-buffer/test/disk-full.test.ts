// A real full disk: a 1 MiB tmpfs. Mounting needs root; elsewhere this reports itself skipped.
import { statSync } from 'node:fs';
import { mountTmpfs } from '@supaops/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordLog, SpillBuffer, SpillBufferError } from '../src/index.js';

const disk = mountTmpfs('1m', 'spill-full-');
const mountPoint = disk.path;

describe.skipIf(!disk.mounted)('on a full disk (1 MiB tmpfs)', () => {
  afterAll(() => disk.remove());

  it('fails with SpillDiskFullError, never truncating silently', async () => {
    const buffer = new SpillBuffer({ threshold: 1024, tmpDir: mountPoint });
    let error: unknown;
    let accepted = 0;
    const chunk = Buffer.alloc(64 * 1024, 1);
    for (let i = 0; i < 64 && !error; i++) {
      try {
        await buffer.write(chunk);
        accepted += chunk.byteLength;
      } catch (e) {
        error = e;
      }
    }
    expect(SpillBufferError.isInstance(error)).toBe(true);
    expect((error as SpillBufferError).code).toBe('SPILL_DISK_FULL');
    // what was acknowledged is exactly what can be read back
    expect(buffer.byteLength).toBe(accepted);
    await expect(buffer.end()).rejects.toMatchObject({ code: 'SPILL_DISK_FULL' });
    await buffer.dispose();
  });

  it('surfaces the error of coalesced small writes at a later write or flush, never losing track of bytes', async () => {
    const buffer = new SpillBuffer({ threshold: 0, tmpDir: mountPoint });
    let error: unknown;
    for (let i = 0; i < 4000 && !error; i++) {
      await buffer.write(Buffer.alloc(1000, 7)).catch((e: unknown) => {
        error = e;
      });
    }
    error ??= await buffer.flush().catch((e: unknown) => e);
    expect((error as SpillBufferError).code).toBe('SPILL_DISK_FULL');
    await expect(buffer.flush()).rejects.toMatchObject({ code: 'SPILL_DISK_FULL' });
    // byteLength never claims bytes that did not reach the disk
    expect(statSync(buffer.path!).size).toBeGreaterThanOrEqual(buffer.byteLength);
    await buffer.dispose();
  });

  it('fails a record log the same way', async () => {
    const log = new RecordLog({ threshold: 0, tmpDir: mountPoint });
    const big = 'y'.repeat(100_000);
    let error: unknown;
    for (let i = 0; i < 40 && !error; i++) {
      await log.append({ i, big }).catch((e: unknown) => {
        error = e;
      });
    }
    expect((error as SpillBufferError).code).toBe('SPILL_DISK_FULL');
    await log.dispose();
  });
});
