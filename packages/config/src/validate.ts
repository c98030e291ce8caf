import { notYet } from './stub.js';
import type { SupaopsConfig } from './types.js';
/** Validates a raw config; throws ConfigValidationError naming each field path and the fix. */
export function validateConfig(_raw: unknown): SupaopsConfig {
  return notYet('validateConfig');
}
