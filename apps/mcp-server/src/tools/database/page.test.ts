import { describe, expect, it } from 'vitest';
import { fitPage } from './page.js';

describe('fitPage', () => {
  it('keeps the rows that fit the byte budget', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ i, text: 'x'.repeat(100) }));
    const page = fitPage(rows, 1000);
    expect(page.rows.length).toBeGreaterThan(0);
    expect(page.rows.length).toBeLessThan(10);
    expect(JSON.stringify(page.rows).length).toBeLessThanOrEqual(1000);
    expect(page.valuesCut).toBe(false);
  });

  it('always returns one row, cutting its long values', () => {
    const page = fitPage([{ big: 'y'.repeat(5000), obj: { a: 'z'.repeat(3000) }, n: 1 }], 1000);
    expect(page.rows).toHaveLength(1);
    expect(page.valuesCut).toBe(true);
    const row = page.rows[0] as Record<string, unknown>;
    expect(row.big).toMatch(/…\[3976 more characters\]$/);
    expect(row.n).toBe(1);
  });

  it('handles an empty result', () => {
    expect(fitPage([], 100)).toEqual({ rows: [], valuesCut: false });
  });
});
