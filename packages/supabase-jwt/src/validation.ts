import type { z } from 'zod';
import { InvalidInputError } from './errors.js';

/** Parses `input` with `schema`, or throws the package's typed validation error listing the issues. */
export function parseInput<T extends z.ZodType>(
  functionName: string,
  schema: T,
  input: unknown,
  hint?: string,
): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  throw new InvalidInputError(functionName, issues, {
    cause: result.error,
    ...(hint === undefined ? {} : { hint }),
  });
}
