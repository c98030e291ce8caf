import { safeJson } from '../../safety/untrusted.js';

const LONG_VALUE = 1024;

function shorten(row: unknown): unknown {
  if (row === null || typeof row !== 'object') return row;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    const text = typeof v === 'string' ? v : v !== null && typeof v === 'object' ? safeJson(v) : v;
    out[k] =
      typeof text === 'string' && text.length > LONG_VALUE
        ? `${text.slice(0, LONG_VALUE)}…[${text.length - LONG_VALUE} more characters]`
        : v;
  }
  return out;
}

/**
 * The rows of a page that fit in `maxBytes` of JSON (at least one). A row that alone exceeds
 * the budget has its long values cut, and `valuesCut` says so.
 */
export function fitPage(
  rows: readonly unknown[],
  maxBytes: number,
): { rows: unknown[]; valuesCut: boolean } {
  const out: unknown[] = [];
  let bytes = 2;
  let valuesCut = false;
  for (const row of rows) {
    let value = row;
    let size = Buffer.byteLength(safeJson(value)) + 1;
    if (out.length === 0 && size > maxBytes) {
      value = shorten(row);
      size = Buffer.byteLength(safeJson(value)) + 1;
      valuesCut = true;
    }
    if (out.length > 0 && bytes + size > maxBytes) break;
    out.push(value);
    bytes += size;
  }
  return { rows: out, valuesCut };
}
