/**
 * A secret made safe to show: the first and last 4 characters around an ellipsis, or `***`
 * when the value is too short for that to hide anything. Never throws.
 */
export function redactSecret(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) return '***';
  const chars = Array.from(value.length > 64 ? `${value.slice(0, 8)}${value.slice(-8)}` : value);
  if (chars.length < 16) return '***';
  return `${chars.slice(0, 4).join('')}…${chars.slice(-4).join('')}`;
}
