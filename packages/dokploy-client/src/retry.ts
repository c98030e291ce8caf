import { z } from 'zod';
import { ensure } from './validate.js';

/** How failed idempotent calls are retried. */
export interface RetryPolicy {
  /** Retries after the first attempt (0 disables). Default 2. */
  retries: number;
  /** Delay before the first retry, in ms. Default 200. */
  minDelayMs: number;
  /** Upper bound of any delay, in ms. Default 5 000. */
  maxDelayMs: number;
  /** Growth per retry. Default 2. */
  factor: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  retries: 2,
  minDelayMs: 200,
  maxDelayMs: 5_000,
  factor: 2,
};

/**
 * Exponential backoff with "equal jitter": retry `n` (0-based) waits between half and all of
 * `min(maxDelayMs, minDelayMs * factor^n)`, so delays grow yet never synchronize.
 */
const policySchema = z.object({
  retries: z.number().int().min(0),
  minDelayMs: z.number().min(0),
  maxDelayMs: z.number().min(0),
  factor: z.number().min(1),
});

export function backoffDelay(
  policy: RetryPolicy,
  retry: number,
  random: () => number = Math.random,
): number {
  ensure(policySchema, policy, 'retry policy', 'pass { retries, minDelayMs, maxDelayMs, factor }.');
  ensure(z.number().int().min(0), retry, 'retry index', 'pass the 0-based retry number.');
  const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * policy.factor ** retry);
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
