import { z } from 'zod';
import { lazy } from './lazy.js';
import { parseInput } from './validation.js';

/** An env as the public functions take it: variable names to strings, undefined or null. */
export type EnvValues = Record<string, string | undefined | null>;

export const envSchema = lazy(() =>
  z.record(z.string(), z.union([z.string(), z.undefined(), z.null()])),
);

/** zod's `isPlainObject` rule, read the same way (`constructor`, then its `prototype`). */
function isPlainObject(value: object): boolean {
  const ctor: unknown = (value as { constructor?: unknown }).constructor;
  if (typeof ctor !== 'function') return true;
  const proto: unknown = ctor.prototype;
  if (typeof proto !== 'object' || proto === null || Array.isArray(proto)) return false;
  return Object.hasOwn(proto, 'isPrototypeOf');
}

/**
 * `env` exactly as envSchema() would return it (a fresh object, keys in the same order), or
 * undefined when the input is anything zod might reject or change: an array, a symbol,
 * non-enumerable or `__proto__` key, a value that is no string, undefined or null, a getter
 * that throws. diagnoseKeys runs on every `keys check`: for the usual plain env this skips
 * building the schema, which costs more than the whole diagnosis on a cold start.
 */
export function copyPlainEnv(env: unknown): EnvValues | undefined {
  if (typeof env !== 'object' || env === null || Array.isArray(env)) return undefined;
  try {
    if (!isPlainObject(env)) return undefined;
    const copy: EnvValues = {};
    for (const key of Reflect.ownKeys(env)) {
      if (typeof key !== 'string' || key === '__proto__') return undefined;
      if (!Object.prototype.propertyIsEnumerable.call(env, key)) return undefined;
      const value: unknown = (env as Record<string, unknown>)[key];
      if (typeof value !== 'string' && value !== undefined && value !== null) return undefined;
      copy[key] = value;
    }
    return copy;
  } catch {
    // a throwing getter or proxy trap: zod reads it again and reports it
    return undefined;
  }
}

/**
 * Parses an env argument: the plain copy when the input is plainly valid, otherwise zod, whose
 * result or typed InvalidInputError (same issues, same hint) is what callers always got.
 */
export function parseEnvInput(functionName: string, env: unknown, hint?: string): EnvValues {
  // process.env is an exotic object zod's record does not count as plain: read its own entries
  const input = typeof process !== 'undefined' && env === process.env ? { ...process.env } : env;
  return copyPlainEnv(input) ?? parseInput(functionName, envSchema(), input, hint);
}
