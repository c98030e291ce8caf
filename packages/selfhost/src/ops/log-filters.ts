import { z } from 'zod';
import { clientSchema, signalSchema } from './common.js';

const DURATION = /^(\d+)([smhd])$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** What Dokploy's readLogs and log socket accept as `search`; anything else is filtered here. */
const DOKPLOY_SEARCH = /^[a-zA-Z0-9 ._-]{0,500}$/;

/** The input fields readComposeLogs and followComposeLogs share, in their schema order. */
export const logSelectionShape = {
  client: clientSchema,
  composeId: z.string().min(1),
  services: z.array(z.string().min(1)).min(1).optional(),
  tail: z.number().int().min(1).max(10_000).optional(),
  since: z
    .union([z.string().regex(DURATION, 'a duration like 30s, 10m, 2h, 1d'), z.date()])
    .optional(),
  search: z.string().min(1).max(500).optional(),
  signal: signalSchema.optional(),
};

/** `since` (validated) as a cutoff time and as Dokploy's `since` parameter (`<n>s`, `10m`). */
export function sinceOf(
  since: string | Date | undefined,
  now: number,
): { cutoff?: number; param?: string } {
  if (since === undefined) return {};
  if (typeof since === 'string') {
    const [, n, unit] = DURATION.exec(since) as RegExpExecArray;
    return { cutoff: now - Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS], param: since };
  }
  const cutoff = since.getTime();
  return { cutoff, param: `${Math.max(1, Math.ceil((now - cutoff) / 1000))}s` };
}

/** The search as Dokploy may be sent it, or nothing (then it is applied here only). */
export function dokploySearch(search: string | undefined): { search?: string } {
  return search && DOKPLOY_SEARCH.test(search) ? { search } : {};
}
