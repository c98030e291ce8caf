/**
 * The sandbox server logs with `log_line_prefix = '%m [%p] '` and `log_timezone = UTC`
 * (sandbox-server.ts): `2026-12-01 13:45:00.123 UTC [4711] LOG:  …`. Older servers logged in the
 * system's zone; a numeric offset parses, a zone abbreviation other than UTC/GMT does not.
 */
const PREFIX =
  /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?) ([A-Za-z]{1,6}|[+-]\d{2}(?::?\d{2})?) /;
const UTC_NAMES = new Set(['UTC', 'GMT', 'UCT', 'Z']);

export interface ParsedLogLine {
  /** ISO 8601 (UTC) when the line starts with a timestamp whose zone is known. */
  timestamp?: string;
  /** Milliseconds since the epoch of `timestamp`. */
  time?: number;
  /** The line without its timestamp (all of it when there is none). */
  text: string;
}

function offsetOf(zone: string): string | undefined {
  if (UTC_NAMES.has(zone.toUpperCase())) return 'Z';
  const m = /^([+-]\d{2}):?(\d{2})?$/.exec(zone);
  return m ? `${m[1]}:${m[2] ?? '00'}` : undefined;
}

export function parseLogLine(line: string): ParsedLogLine {
  const m = PREFIX.exec(line);
  const offset = m?.[3] === undefined ? undefined : offsetOf(m[3]);
  if (!m || offset === undefined) return { text: line };
  // milliseconds are all Date keeps; %m has exactly three digits anyway
  const time = Date.parse(`${m[1]}T${m[2]?.slice(0, 12)}${offset}`);
  if (Number.isNaN(time)) return { text: line };
  return { timestamp: new Date(time).toISOString(), time, text: line.slice(m[0].length) };
}

const DURATION = /^(\d{1,9})\s*(s|m|h|d)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `30s`, `10m`, `2h`, `1d` before `now`, a Date, or a time Date.parse reads; undefined: invalid. */
export function parseSince(value: string | Date, now: number): number | undefined {
  if (value instanceof Date) {
    const t = value.getTime();
    return Number.isNaN(t) ? undefined : t;
  }
  const trimmed = value.trim();
  const d = DURATION.exec(trimmed);
  if (d) return now - Number(d[1]) * UNIT_MS[d[2] as keyof typeof UNIT_MS];
  const t = Date.parse(trimmed);
  return Number.isNaN(t) ? undefined : t;
}
