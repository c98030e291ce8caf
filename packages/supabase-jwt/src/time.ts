import { z } from 'zod';
import { lazy } from './lazy.js';

/** `now` as a Date, epoch milliseconds, or omitted for the current time. */
export const nowSchema = lazy(() => z.union([z.date(), z.number().finite()]).optional());

export type NowInput = Date | number | undefined;

/** Unix seconds of `now` (Date or epoch milliseconds), defaulting to the current time. */
export function toUnixSeconds(now: NowInput): number {
  const ms = now === undefined ? Date.now() : typeof now === 'number' ? now : now.getTime();
  return Math.floor(ms / 1000);
}

const UNITS: Record<string, number> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000,
};

/** A lifetime above zero: seconds as a positive integer, or a string such as `90d`, `5y`, `12h`. */
export const lifetimeSchema = lazy(() =>
  z.union([
    z
      .number()
      .int()
      .positive()
      .max(1000 * 31_536_000),
    z
      .string()
      .regex(/^\d{1,6}\s*[smhdwy]$/, 'must look like "90d", "5y", "12h" (units s m h d w y)')
      // "0d" would sign keys that are expired when they are issued (exp = iat).
      .refine(
        (text) => /[1-9]/.test(text),
        'must be longer than zero ("0d" gives keys expired at birth)',
      ),
  ]),
);

export function lifetimeToSeconds(lifetime: number | string): number {
  if (typeof lifetime === 'number') return lifetime;
  const match = /^(\d+)\s*([smhdwy])$/.exec(lifetime) as RegExpExecArray;
  return Number(match[1]) * (UNITS[match[2] as string] as number);
}
