import { describe, expect, it } from 'vitest';
import {
  SpillBufferError,
  SpillDiskFullError,
  SpillIoError,
  SpillPermissionError,
  toSpillError,
} from './errors.js';

describe('toSpillError', () => {
  const errno = (code: string) => Object.assign(new Error(code), { code });

  it.each([
    ['ENOSPC', SpillDiskFullError, 'SPILL_DISK_FULL'],
    ['EDQUOT', SpillDiskFullError, 'SPILL_DISK_FULL'],
    ['EACCES', SpillPermissionError, 'SPILL_PERMISSION_DENIED'],
    ['EROFS', SpillPermissionError, 'SPILL_PERMISSION_DENIED'],
    ['EIO', SpillIoError, 'SPILL_IO_ERROR'],
  ])('maps %s', (code, type, stable) => {
    const cause = errno(code);
    const error = toSpillError('/tmp/x', cause);
    expect(error).toBeInstanceOf(type);
    expect(error.code).toBe(stable);
    expect(error.cause).toBe(cause);
    expect(error.message).toMatch(/Fix:/);
  });

  it('passes typed errors through and recognizes copies by marker', () => {
    const typed = new SpillBufferError('SPILL_DISPOSED', 'x');
    expect(toSpillError('/p', typed)).toBe(typed);
    const lookalike = { [Symbol.for('supaops.spill-buffer.error')]: true };
    expect(SpillBufferError.isInstance(lookalike)).toBe(true);
    expect(SpillBufferError.isInstance(new Error('plain'))).toBe(false);
    expect(SpillBufferError.isInstance(null)).toBe(false);
    expect(toSpillError('/p', undefined).code).toBe('SPILL_IO_ERROR');
  });
});
