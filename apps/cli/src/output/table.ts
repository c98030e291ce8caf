import type { Colors } from './colors.js';
import { stripAnsi } from './colors.js';

export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number | boolean | null | undefined;
  align?: 'left' | 'right';
}

function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/\s*\n\s*/g, ' ');
}

/** A plain aligned table: header, a dashed rule, the rows. Colors in cells do not break widths. */
export function renderTable<Row>(rows: Row[], columns: Column<Row>[], colors?: Colors): string {
  const body = rows.map((row) => columns.map((c) => cell(c.value(row))));
  const widths = columns.map((c, i) =>
    Math.max(stripAnsi(c.header).length, ...body.map((r) => stripAnsi(r[i] ?? '').length)),
  );
  const pad = (text: string, i: number): string => {
    const gap = ' '.repeat(Math.max(0, (widths[i] ?? 0) - stripAnsi(text).length));
    return columns[i]?.align === 'right' ? gap + text : text + gap;
  };
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => pad(c, i))
      .join('  ')
      .trimEnd();
  const header = line(columns.map((c) => c.header));
  const out = [colors ? colors.bold(header) : header, line(widths.map((w) => '-'.repeat(w)))];
  for (const r of body) out.push(line(r));
  return out.join('\n');
}

/** `key  value` lines with the keys aligned. */
export function renderPairs(pairs: Array<[string, string | number | boolean | undefined]>): string {
  const shown = pairs.filter(([, v]) => v !== undefined && v !== '');
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${k.padEnd(width)}  ${String(v)}`).join('\n');
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
