/** A cell for JSON: dates as ISO text, bytea as \x hex (as psql shows it), the rest unchanged. */
export function jsonValue(value: unknown): unknown {
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(jsonValue);
  return value;
}

export function jsonRow(row: unknown): Record<string, unknown> {
  if (!row || typeof row !== 'object') return {};
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, jsonValue(v)]));
}

/** A cell for a table: NULL spelled out, objects as JSON. */
export function textValue(value: unknown): string {
  const v = jsonValue(value);
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
