import { z } from 'zod';

/**
 * The `instance` argument every instance tool takes (absent: the default instance, which the
 * server instructions name); dropped from the schema by --instance. No description: it would
 * cost tools/list bytes in every tool.
 */
export const instanceArg = z.string().min(1).max(100).optional();

/** A record of anything: for nested library reports whose full shape would bloat tools/list. */
export const looseRecord = z.record(z.string(), z.unknown());

/** Annotation sets the tools share. */
export const READ = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;
export const WRITE = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: false,
} as const;
export const DESTRUCTIVE = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: false,
  openWorldHint: false,
} as const;
