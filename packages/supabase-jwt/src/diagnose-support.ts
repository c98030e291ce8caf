import type { DecodedJwt } from './compact-jwt.js';
import { type Finding, type FindingCode, finding } from './finding-codes.js';

/** An env as read from `.env`, Dokploy or `process.env`. Unknown variables are ignored. */
export type KeyEnv = Readonly<Record<string, string | undefined | null>>;

/** A value with surrounding whitespace and one pair of matching quotes removed. */
export interface Cleaned {
  value: string;
  untrimmed: boolean;
}

export function clean(raw: string | undefined | null): Cleaned | undefined {
  if (raw === undefined || raw === null) return undefined;
  let value = raw.trim();
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) {
    value = value.slice(1, -1).trim();
  }
  if (value === '') return undefined;
  return { value, untrimmed: value !== raw };
}

/**
 * A claim value for a message: strings quoted and cut at 40 characters, other scalars as text.
 * Arrays and objects are only named: a token can nest them thousands deep, and serialising
 * that would overflow the stack.
 */
export function quoteClaim(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return JSON.stringify(String(value));
}

export function isoDate(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
}

export class Collector {
  readonly findings: Finding[] = [];
  private readonly seen = new Set<string>();

  add(code: FindingCode, variable: string, message: string, fix?: string): void {
    const key = `${code}|${variable}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push(finding(code, variable, message, fix));
  }

  has(code: FindingCode, variable?: string): boolean {
    return this.findings.some(
      (item) => item.code === code && (variable === undefined || item.variable === variable),
    );
  }
}

export interface TokenFacts {
  jwt?: DecodedJwt;
  role?: string;
  iss?: unknown;
  value: string;
  /** Verifies only with JWT_SECRET trimmed, while the services use it verbatim. */
  signedWithTrimmedSecret?: boolean;
}
