import type { z } from 'zod';
import { DokployInputError } from './errors.js';

/** Parses `value` with `schema`, or throws `DokployInputError` naming `what` and the issues. */
export function ensure<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  fix: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    message: i.message,
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    code: i.code,
  }));
  const list = issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
  throw new DokployInputError(`Invalid ${what}: ${list}. Fix: ${fix}`, issues);
}
