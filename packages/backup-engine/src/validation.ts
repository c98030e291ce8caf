import type { z } from 'zod';
import { BackupValidationError } from './errors.js';

/** Parses input with a zod schema and turns a failure into a BackupValidationError. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  input: unknown,
  what: string,
): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new BackupValidationError(
      what,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
      { cause: result.error },
    );
  }
  return result.data;
}
