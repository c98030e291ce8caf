import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConfirmationError } from '../errors.js';

/** JSON with object keys sorted at every level, so equal arguments give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export interface IssuedToken {
  token: string;
  expiresAt: string;
}

export const DEFAULT_CONFIRMATION_TTL_MS = 5 * 60_000;
/** Used token ids kept before the oldest are forgotten; they expire long before that. */
const MAX_REMEMBERED = 10_000;

/**
 * Short-lived, single-use tokens bound to a tool and its exact arguments: HMAC-SHA256 with a key
 * drawn per process over the tool name, the canonical JSON of the arguments, a random id and the
 * expiry. A restart invalidates every token.
 */
export class ConfirmationTokens {
  readonly ttlMs: number;
  readonly #key = randomBytes(32);
  readonly #used = new Map<string, number>();
  readonly #now: () => number;

  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_CONFIRMATION_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  issue(tool: string, args: unknown): IssuedToken {
    const id = randomBytes(12).toString('base64url');
    const exp = this.#now() + this.ttlMs;
    return {
      token: `${id}.${exp}.${this.#mac(tool, args, id, exp)}`,
      expiresAt: new Date(exp).toISOString(),
    };
  }

  /** Throws ConfirmationError unless the token is genuine, for these arguments, unexpired and unused; then spends it. */
  consume(tool: string, args: unknown, token: string): void {
    const parts = token.split('.');
    const [id, expText, mac] = parts;
    if (parts.length !== 3 || !id || !expText || !mac || !/^\d{1,16}$/.test(expText)) {
      throw new ConfirmationError('malformed', tool);
    }
    const exp = Number(expText);
    const expected = Buffer.from(this.#mac(tool, args, id, exp));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ConfirmationError('mismatch', tool);
    }
    const now = this.#now();
    if (exp <= now) throw new ConfirmationError('expired', tool);
    if (this.#used.has(id)) throw new ConfirmationError('used', tool);
    this.#forgetExpired(now);
    this.#used.set(id, exp);
  }

  #mac(tool: string, args: unknown, id: string, exp: number): string {
    return createHmac('sha256', this.#key)
      .update(`${tool}\n${canonicalJson(args)}\n${id}\n${exp}`)
      .digest('base64url');
  }

  #forgetExpired(now: number): void {
    for (const [id, exp] of this.#used) {
      if (exp <= now || this.#used.size >= MAX_REMEMBERED) this.#used.delete(id);
      else break; // insertion order is expiry order (constant ttl)
    }
  }
}
