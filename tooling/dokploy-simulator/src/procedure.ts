import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { DeployQueue } from './deploy-queue.js';
import type { SimApiKey, SimulatorState } from './state.js';
import { SimTrpcError } from './trpc-error.js';
import { atLeast, type SimVersion } from './version.js';

/** What a procedure handler can reach. */
export interface ProcedureContext {
  readonly state: SimulatorState;
  readonly version: SimVersion;
  readonly serverIp: string;
  /** The serial per-server deployment queue. */
  readonly queue: DeployQueue;
  /** The key the request came with (already authenticated). */
  readonly key: SimApiKey;
  /** Resolves a host name to IPv4 addresses without leaving loopback (state.dns, sslip.io, loopback DNS). */
  resolveHost(host: string): Promise<string[]>;
}

export interface Procedure {
  readonly method: 'GET' | 'POST';
  /** First version that has the procedure (inclusive). */
  readonly since?: string;
  /** First version that no longer has it (exclusive). */
  readonly until?: string;
  input(version: SimVersion): z.ZodType;
  handle(ctx: ProcedureContext, input: never): unknown;
}

export const id = (): string => randomBytes(12).toString('base64url').replace(/[-_]/g, 'x');
export const now = (): string => new Date().toISOString();
export const nonEmpty = z.string().min(1);
export const nullableString = z.string().nullable().optional();
export const containerIdRe = /^[a-zA-Z0-9.\-_]+$/;
export const appNameRe = /^[a-zA-Z0-9._-]+$/;
export const sourceType = z.enum(['git', 'github', 'gitlab', 'bitbucket', 'gitea', 'raw']);
export const composeType = z.enum(['docker-compose', 'stack']);

export const fixed = (schema: z.ZodType) => (): z.ZodType => schema;

export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new SimTrpcError('NOT_FOUND', `${what} not found`);
  return value;
}

export function hasEnvironments(v: SimVersion): boolean {
  return atLeast(v, '0.25.0');
}
