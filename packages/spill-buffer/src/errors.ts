const marker = Symbol.for('supaops.spill-buffer.error');

export type SpillBufferErrorCode =
  | 'SPILL_INVALID_OPTIONS'
  | 'SPILL_INVALID_INPUT'
  | 'SPILL_DISK_FULL'
  | 'SPILL_PERMISSION_DENIED'
  | 'SPILL_IO_ERROR'
  | 'SPILL_DISPOSED'
  | 'SPILL_ENDED'
  | 'SPILL_RECORD_INVALID';

/** Base class of every spill-buffer failure. `code` is stable; the message says how to fix it. */
export class SpillBufferError extends Error {
  readonly [marker] = true;
  readonly code: SpillBufferErrorCode;

  constructor(code: SpillBufferErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SpillBufferError';
    this.code = code;
  }

  /** Works across duplicate copies of this package, unlike `instanceof`. */
  static isInstance(error: unknown): error is SpillBufferError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

/** The disk under the spill directory is full (ENOSPC/EDQUOT): nothing was silently dropped. */
export class SpillDiskFullError extends SpillBufferError {
  constructor(path: string, cause: unknown) {
    super(
      'SPILL_DISK_FULL',
      `No space left while spilling to ${path}. Fix: free disk space, point \`tmpDir\` at a larger volume, or raise \`threshold\` to keep more in memory.`,
      { cause },
    );
    this.name = 'SpillDiskFullError';
  }
}

/** The spill directory cannot be written (EACCES/EPERM/EROFS). */
export class SpillPermissionError extends SpillBufferError {
  constructor(path: string, cause: unknown) {
    super(
      'SPILL_PERMISSION_DENIED',
      `Permission denied while spilling to ${path}. Fix: make the directory writable by this user, or pass a writable \`tmpDir\`.`,
      { cause },
    );
    this.name = 'SpillPermissionError';
  }
}

/** Any other disk error while spilling or reading back. */
export class SpillIoError extends SpillBufferError {
  constructor(path: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'unknown';
    super(
      'SPILL_IO_ERROR',
      `Disk error ${code} on ${path}. Fix: check that \`tmpDir\` is a writable local directory.`,
      { cause },
    );
    this.name = 'SpillIoError';
  }
}

/** Maps a Node fs error to the typed error for it. */
export function toSpillError(path: string, error: unknown): SpillBufferError {
  if (SpillBufferError.isInstance(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG')
    return new SpillDiskFullError(path, error);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new SpillPermissionError(path, error);
  return new SpillIoError(path, error);
}
