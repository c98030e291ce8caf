import { describe, expect, it } from 'vitest';
import { parseSince } from './audit.js';

describe('parseSince', () => {
  const now = Date.UTC(2026, 0, 31, 12);
  it('reads durations and dates', () => {
    expect(parseSince('30m', now).toISOString()).toBe('2026-01-31T11:30:00.000Z');
    expect(parseSince('2h', now).toISOString()).toBe('2026-01-31T10:00:00.000Z');
    expect(parseSince('1d', now).toISOString()).toBe('2026-01-30T12:00:00.000Z');
    expect(parseSince('1w', now).toISOString()).toBe('2026-01-24T12:00:00.000Z');
    expect(parseSince('2026-01-01').toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(() => parseSince('soon')).toThrow(/neither a duration nor a date/);
  });
});
