import { envVariable } from '../env/schema/table.js';
import type { EnvDocument, EnvRecord } from '../env/types.js';
import type { DoctorFinding, DoctorSkip } from './finding.js';

/** The Dokploy domain in front of the gateway. */
export interface DomainInfo {
  readonly host: string;
  /** Whether Traefik serves it over https (Dokploy's `https` flag). */
  readonly https: boolean;
  readonly serviceName?: string;
  readonly certificateType?: string;
}

export interface DokployVersionInfo {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly raw: string;
}

/** Everything a check family reads. */
export interface CheckContext {
  /** Effective values (last occurrence wins), as the services receive them. */
  readonly env: EnvRecord;
  /** The parsed text, when text was given (syntax checks need it). */
  readonly doc?: EnvDocument;
  /** Compose services of the stack; the Dokploy template's when unknown. */
  readonly stack: ReadonlySet<string>;
  /** Whether `stack` came from a compose file or the caller, not the default. */
  readonly stackKnown: boolean;
  /** The gateway's domain, when known (online, or given offline). */
  readonly domain?: DomainInfo;
  /** Every domain of the compose (online). */
  readonly domains?: readonly DomainInfo[];
  readonly appName?: string;
  readonly projectName?: string;
  /** Whether `appName` is Dokploy's stored one (suffix appended) rather than a request. */
  readonly appNameStored?: boolean;
  readonly dokployVersion?: DokployVersionInfo;
  readonly serverIp?: string;
  readonly now: Date;
  readonly skipped: DoctorSkip[];
}

export type Check = (ctx: CheckContext) => DoctorFinding[];

/** The value when set and not empty. */
export function setValue(ctx: CheckContext, name: string): string | undefined {
  const value = ctx.env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** The services of the stack that read a variable (all readers when the stack is unknown). */
export function readersOf(ctx: CheckContext, name: string): string[] {
  const readers = envVariable(name)?.services ?? [];
  return readers.filter((service) => ctx.stack.has(service));
}

/** Whether any of the services runs in the stack. */
export function runs(ctx: CheckContext, ...services: string[]): boolean {
  return services.some((service) => ctx.stack.has(service));
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** GoTrue's reading of a boolean; `fallback` when unset, empty or not a boolean. */
export function flag(ctx: CheckContext, name: string, fallback: boolean): boolean {
  const value = setValue(ctx, name);
  if (value !== undefined && TRUE.has(value)) return true;
  if (value !== undefined && FALSE.has(value)) return false;
  return fallback;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|0\.0\.0\.0|\[?::1\]?|.+\.localhost)$/i;

/** Whether a host name is only reachable from the machine itself. */
export function isLocalHost(host: string): boolean {
  return LOOPBACK.test(host);
}
