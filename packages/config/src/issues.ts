import { z } from 'zod';
import { type ConfigIssue, ConfigValidationError } from './errors.js';

/** `instances.prod.database.session`; `(root)` for the value itself. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`))
    .join('');
}

// zod's default messages say what is wrong; these add how to fix it.
function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) {
        return `is required (${issue.expected}). Fix: add the field`;
      }
      return `must be ${issue.expected}, got ${typeName(issue.input)}. Fix: write a ${issue.expected} value`;
    }
    case 'unrecognized_keys':
      return 'is not a known field. Fix: remove it or correct the spelling (see the JSON Schema)';
    case 'invalid_value':
      if (issue.input === undefined) {
        return `is required (${issue.values.map((v) => JSON.stringify(v)).join(' or ')}). Fix: add the field`;
      }
      return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}. Fix: use one of these values`;
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator) {
        return `has no valid "${issue.discriminator}". Fix: set ${issue.discriminator} to one of the documented values`;
      }
      return `${issue.message}. Fix: match one of the documented forms`;
    case 'invalid_key':
      return `has an invalid key: ${issue.issues.map((i) => i.message).join('; ')}`;
    case 'too_small':
    case 'too_big':
      return `${issue.message}. Fix: change the value to be within the limit`;
    default:
      return issue.message.includes('Fix:')
        ? issue.message
        : `${issue.message}. Fix: correct the value`;
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function zodIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): ConfigIssue[] {
  return error.issues.flatMap((issue) => {
    // one issue per unknown key, each at its own path
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatPath([...prefix, ...issue.path, key]),
        message: describe(issue),
      }));
    }
    const path = [...prefix, ...issue.path];
    return [{ path: formatPath(path), message: describe(issue) }];
  });
}

/** Parses with a schema; a failure becomes a ConfigValidationError naming field paths. */
export function parseWith<T>(
  schema: z.ZodType<T>,
  value: unknown,
  what: string,
  options: { file?: string; prefix?: readonly PropertyKey[] } = {},
): T {
  // the input is needed to tell "missing" from "wrong type"; it is dropped before chaining
  const parsed = schema.safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  const issues = zodIssues(parsed.error, options.prefix);
  for (const issue of parsed.error.issues) delete (issue as { input?: unknown }).input;
  throw new ConfigValidationError(what, issues, {
    cause: parsed.error,
    ...(options.file ? { file: options.file } : {}),
  });
}

/**
 * An environment object. Not z.record: process.env is not a plain object to zod, and its
 * values are not worth checking one by one on every call.
 */
export const envSchema = z.custom<NodeJS.ProcessEnv>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  { error: 'must be an object of environment variables (like process.env)' },
);
