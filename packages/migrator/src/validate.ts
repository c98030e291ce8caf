import type { z } from 'zod';
import { MigratorValidationError } from './errors.js';

/** Parses input with a zod schema; failures become a MigratorValidationError listing each issue. */
export function validate<T extends z.ZodType>(
  schema: T,
  input: unknown,
  what: string,
): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map(
    (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(value)'}: ${issue.message}`,
  );
  throw new MigratorValidationError(what, issues, { cause: result.error });
}
