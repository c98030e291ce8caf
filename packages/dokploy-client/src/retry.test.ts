import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY, sleep } from './retry.js';

describe('backoff', () => {
  it('grows exponentially within [ceiling/2, ceiling], capped by maxDelayMs', () => {
    const p = { retries: 5, minDelayMs: 100, maxDelayMs: 1_000, factor: 2 };
    expect(backoffDelay(p, 0, () => 0)).toBe(50);
    expect(backoffDelay(p, 0, () => 1)).toBe(100);
    expect(backoffDelay(p, 2, () => 0.5)).toBe(300);
    expect(backoffDelay(p, 10, () => 1)).toBe(1_000);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(DEFAULT_RETRY, 1);
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
  });

  it('sleep resolves, and rejects when aborted before or during', async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
    const c = new AbortController();
    c.abort(new Error('stop'));
    await expect(sleep(1_000, c.signal)).rejects.toThrow('stop');
    const c2 = new AbortController();
    const p = sleep(10_000, c2.signal);
    c2.abort(new Error('later'));
    await expect(p).rejects.toThrow('later');
  });
});
