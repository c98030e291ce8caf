import type { z } from 'zod';
import { InvalidInputError } from './errors.js';

/** Parses `input` with `schema`, or throws the package's typed validation error listing the issues. */
export function parseInput<T extends z.ZodType>(
  functionName: string,
  schema: T,
  input: unknown,
  hint?: string,
): z.output<T> {
  let result: z.ZodSafeParseResult<z.output<T>>;
  try {
    result = schema.safeParse(input);
  } catch (cause) {
    // A getter or proxy trap of the input threw while zod read it.
    throw new InvalidInputError(
      functionName,
      [{ path: '', message: 'could not be read (a getter or proxy threw)' }],
      { cause, ...(hint === undefined ? {} : { hint }) },
    );
  }
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
