import type { DokployClient } from '@supaops/dokploy-client';
import { z } from 'zod';
import { parseEnv, toEnvRecord } from '../env/parse.js';
import { parseInput } from '../errors.js';
import { readContainerHealth } from '../validate/containers.js';
import { callOf } from './common.js';
import { dokploySearch, logSelectionShape, sinceOf } from './log-filters.js';
import { secretRedactor } from './log-redaction.js';

/** One log line; `text` is redacted. */
export interface LogLine {
  readonly service: string;
  /** RFC 3339, as `docker logs --timestamps` (Dokploy's readLogs) prefixes every line. */
  readonly timestamp?: string;
  readonly text: string;
}

export interface ServiceLogSource {
  readonly service: string;
  readonly containerId?: string;
  readonly lines: number;
  /** Why this service's logs could not be read. */
  readonly unavailable?: string;
}

export interface ComposeLogs {
  readonly composeId: string;
  /** Every service's lines merged, oldest first (lines without a timestamp keep their place). */
  readonly lines: LogLine[];
  readonly sources: ServiceLogSource[];
}

export interface ReadLogsInput {
  client: DokployClient;
  composeId: string;
  /** Default every service of the compose. */
  services?: string[];
  /** The last N lines of each service (default 100, at most 10 000). */
  tail?: number;
  /** Only lines newer than this: a duration (`30s`, `10m`, `2h`, `1d`) or a time. */
  since?: string | Date;
  /** Case-insensitive text each line must contain. */
  search?: string;
  signal?: AbortSignal;
  /** The clock `since` durations count back from (tests). */
  now?: () => Date;
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))\s?/;

const schema = z
  .object({
    ...logSelectionShape,
    now: z.custom<() => Date>((v) => typeof v === 'function').optional(),
  })
  .strict();

/** Splits `docker logs --timestamps` text into lines with their timestamps. */
export function parseLogLines(service: string, text: string): LogLine[] {
  const out: LogLine[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (raw.length === 0) continue;
    const m = TIMESTAMP.exec(raw);
    out.push(
      m
        ? { service, timestamp: m[1] as string, text: raw.slice(m[0].length) }
        : { service, text: raw },
    );
  }
  return out;
}

/**
 * Merges per-service lines by timestamp (stable: equal times keep service order). A line
 * without a timestamp sorts with the one before it in its own service.
 */
export function mergeLogLines(groups: readonly (readonly LogLine[])[]): LogLine[] {
  const keyed: { line: LogLine; t: number; g: number; i: number }[] = [];
  groups.forEach((lines, g) => {
    let last = Number.NEGATIVE_INFINITY;
    lines.forEach((line, i) => {
      const parsed = line.timestamp ? Date.parse(line.timestamp) : Number.NaN;
      if (!Number.isNaN(parsed)) last = parsed;
      keyed.push({ line, t: last, g, i });
    });
  });
  keyed.sort((a, b) => a.t - b.t || a.g - b.g || a.i - b.i);
  return keyed.map((k) => k.line);
}

/**
 * The logs of a compose's services through Dokploy's `compose.readLogs` (v0.29.0+): per
 * service with tail, since and search, merged across services by timestamp, and with every
 * secret of the compose's env and every connection-string password masked.
 */
export async function readComposeLogs(input: ReadLogsInput): Promise<ComposeLogs> {
  const o = parseInput('readComposeLogs', schema, input);
  const { client, composeId } = o;
  const call = callOf(o.signal);
  const compose = await client.compose.one({ composeId }, call);
  const redact = secretRedactor(toEnvRecord(parseEnv(compose.env ?? '', { interpolate: false })));
  const containers = await readContainerHealth(client, compose.appName, o.signal);
  const wanted = o.services ?? [...new Set(containers.map((c) => c.service))];
  const now = (o.now ?? (() => new Date()))().getTime();
  const { cutoff, param: since } = sinceOf(o.since, now);
  const search = o.search?.toLowerCase();
  const canRead = await client.supports('composeReadLogs', call).catch(() => false);
  const sources: ServiceLogSource[] = [];
  const groups: LogLine[][] = [];
  for (const service of wanted) {
    const container = containers.find((c) => c.service === service);
    if (!container) {
      sources.push({ service, lines: 0, unavailable: 'no container of this service exists' });
      continue;
    }
    const base = { service, containerId: container.containerId };
    if (!canRead) {
      sources.push({
        ...base,
        lines: 0,
        unavailable:
          'this Dokploy (< v0.29.0) has no compose.readLogs; stream the logs with streamContainerLogs of @supaops/dokploy-client',
      });
      continue;
    }
    let text: string;
    try {
      text = await client.compose.readLogs(
        {
          composeId,
          containerId: container.containerId,
          tail: o.tail ?? 100,
          ...(since ? { since } : {}),
          ...dokploySearch(o.search),
        },
        call,
      );
    } catch (error) {
      sources.push({
        ...base,
        lines: 0,
        unavailable: redact(`compose.readLogs failed: ${(error as Error).message}`),
      });
      continue;
    }
    // Dokploy narrows with `docker logs --since` and `grep -iF`; filtering again here keeps the
    // result right for searches it refuses and for servers that ignore a parameter.
    const lines = parseLogLines(service, text)
      .filter((l) => cutoff === undefined || !l.timestamp || Date.parse(l.timestamp) >= cutoff)
      .filter((l) => !search || l.text.toLowerCase().includes(search))
      .slice(-(o.tail ?? 100))
      .map((l) => ({ ...l, text: redact(l.text) }));
    sources.push({ ...base, lines: lines.length });
    groups.push(lines);
  }
  return { composeId, lines: mergeLogLines(groups), sources };
}
