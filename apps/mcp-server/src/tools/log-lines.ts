import { z } from 'zod';
import type { ToolContext, ToolOutput } from '../registry/types.js';
import { instanceArg, looseRecord } from './common.js';

const DURATION = /^\d{1,9}[smhd]$/;

/** The input of both log tools (get_logs, dokploy_get_logs): one schema, one meaning. */
export const logsInput = z.object({
  instance: instanceArg,
  service: z.string().max(500).optional(),
  // checked here so a bad value fails as the call's input error, before any request is made
  since: z
    .string()
    .max(40)
    .refine((v) => DURATION.test(v) || !Number.isNaN(Date.parse(v)), {
      message: 'a duration (30s, 10m, 2h, 1d) or an ISO time (2026-12-01T13:45:00Z)',
    })
    .optional(),
  tail: z.number().int().min(1).max(10_000).optional(),
  grep: z.string().max(500).optional(),
});
export type LogsArgs = z.output<typeof logsInput>;

export const logsOutput = z.object({ lines: z.string(), sources: z.array(looseRecord) });
export type LogsResult = z.output<typeof logsOutput>;

/** `a, b` as a list of service names (undefined: every service). */
export function servicesOf(service: string | undefined): string[] | undefined {
  const list = service
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return list?.length ? list : undefined;
}

/** A duration as the libraries take it, else a time (ISO 8601). */
export function sinceOf(since: string | undefined): string | Date | undefined {
  if (since === undefined) return undefined;
  return DURATION.test(since) ? since : new Date(since);
}

/**
 * The result both log tools return: the lines as `<time> <service> <text>`, as JSON (one string a
 * line) inside an untrusted-data boundary, so a `<` of a forged closing tag is written \u003c.
 */
export function logsResult(
  what: string,
  lines: readonly { timestamp?: string | undefined; service: string; text: string }[],
  sources: Record<string, unknown>[],
  notes: string[],
  ctx: ToolContext,
): ToolOutput<LogsResult> {
  const rendered = lines.map((l) => `${l.timestamp ?? '-'} ${l.service} ${l.text}`);
  const wrapped = ctx.untrusted(`the logs of ${what}`, rendered);
  return {
    structured: { lines: wrapped, sources },
    text: `${lines.length} line(s) of ${what}.${notes.length ? `\n${notes.join('\n')}` : ''}\n${wrapped}`,
  };
}
