import { describe, expect, it } from 'vitest';
import { parseLogLine, parseSince } from './log-line.js';

describe('parseLogLine', () => {
  it('reads the sandbox prefix (%m in UTC) and keeps the rest as text', () => {
    expect(
      parseLogLine('2026-12-01 13:45:00.123 UTC [4711] LOG:  database system is ready'),
    ).toEqual({
      timestamp: '2026-12-01T13:45:00.123Z',
      time: Date.UTC(2026, 11, 1, 13, 45, 0, 123),
      text: '[4711] LOG:  database system is ready',
    });
  });

  it('reads %t (no milliseconds), GMT and numeric offsets', () => {
    expect(parseLogLine('2026-12-01 13:45:00 GMT [1] LOG:  x').timestamp).toBe(
      '2026-12-01T13:45:00.000Z',
    );
    expect(parseLogLine('2026-12-01 14:45:00.500 +01 [1] LOG:  x').timestamp).toBe(
      '2026-12-01T13:45:00.500Z',
    );
    expect(parseLogLine('2026-12-01 19:15:00.000 +0530 [1] LOG:  x').timestamp).toBe(
      '2026-12-01T13:45:00.000Z',
    );
    expect(parseLogLine('2026-12-01 10:15:00.000 -03:30 [1] LOG:  x').timestamp).toBe(
      '2026-12-01T13:45:00.000Z',
    );
  });

  it('leaves lines without a usable time whole', () => {
    // a zone abbreviation is ambiguous (CST is three zones): no guess
    expect(parseLogLine('2026-12-01 14:45:00.123 CET [1] LOG:  x')).toEqual({
      text: '2026-12-01 14:45:00.123 CET [1] LOG:  x',
    });
    expect(parseLogLine('\tSELECT 1')).toEqual({ text: '\tSELECT 1' });
    expect(parseLogLine('2026-13-45 99:99:99.000 UTC [1] x')).toEqual({
      text: '2026-13-45 99:99:99.000 UTC [1] x',
    });
  });
});

describe('parseSince', () => {
  const now = Date.UTC(2026, 11, 1, 12, 0, 0);

  it('reads durations back from now', () => {
    expect(parseSince('30s', now)).toBe(now - 30_000);
    expect(parseSince('10m', now)).toBe(now - 600_000);
    expect(parseSince(' 2h ', now)).toBe(now - 7_200_000);
    expect(parseSince('1d', now)).toBe(now - 86_400_000);
  });

  it('reads times and Dates; anything else is undefined', () => {
    expect(parseSince('2026-12-01T11:00:00Z', now)).toBe(Date.UTC(2026, 11, 1, 11));
    expect(parseSince(new Date(5), now)).toBe(5);
    expect(parseSince(new Date('nope'), now)).toBeUndefined();
    expect(parseSince('yesterday-ish', now)).toBeUndefined();
    expect(parseSince('10y', now)).toBeUndefined();
  });
});
