import { z } from 'zod';
import { SpillBufferError } from './errors.js';

export const DEFAULT_THRESHOLD = 512 * 1024;

export const spillOptionsSchema = z
  .object({
    /** Bytes kept in memory before spilling to disk. 0 spills from the first byte. */
    threshold: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(DEFAULT_THRESHOLD),
    /** Base directory for spill files; a private per-process directory is made inside it. */
    tmpDir: z.string().min(1).optional(),
    /** Chunk size used when reading back from disk. */
    readChunkSize: z
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024)
      .default(64 * 1024),
  })
  .strict();

export type SpillOptions = z.input<typeof spillOptionsSchema>;
export type ResolvedSpillOptions = z.output<typeof spillOptionsSchema>;

export function parseSpillOptions(options: unknown): ResolvedSpillOptions {
  const result = spillOptionsSchema.safeParse(options ?? {});
  if (!result.success) {
    const issues = result.error.issues.map(
      (i) => `${i.path.join('.') || '(options)'}: ${i.message}`,
    );
    throw new SpillBufferError(
      'SPILL_INVALID_OPTIONS',
      `Invalid spill-buffer options: ${issues.join('; ')}. Fix: threshold is a whole number of bytes >= 0, tmpDir a directory path, readChunkSize between 1 KiB and 16 MiB.`,
      { cause: result.error },
    );
  }
  return result.data;
}
