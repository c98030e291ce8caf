import type { Colors } from '../../output/colors.js';

/**
 * What `--service`, `--since`, `--tail` and `--grep` asked for, checked by the command; only the
 * given ones are set (no `services`: every service), so it spreads into the library readers.
 */
export interface LogFilter {
  services?: string[];
  since?: string | Date;
  tail?: number;
  search?: string;
}

export interface ServiceLine {
  service: string;
  timestamp?: string;
  text: string;
}

/** One line per log line: the service padded to the widest, the time dimmed, then the text. */
export function formatLogLines(c: Colors, lines: readonly ServiceLine[]): string[] {
  const width = Math.max(0, ...lines.map((l) => l.service.length));
  return lines.map(
    (l) =>
      `${c.cyan(l.service.padEnd(width))} ${l.timestamp ? c.dim(`${l.timestamp} `) : ''}${l.text}`,
  );
}
