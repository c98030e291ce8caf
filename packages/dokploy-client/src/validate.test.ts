import { describe, expect, it } from 'vitest';
import { isLocalHost, normalizeBaseUrl } from './base-url.js';
import { DokployInputError } from './errors.js';
import { isSecretEnvKey, maskSecret, redactEnv } from './redact.js';
import { backoffDelay, DEFAULT_RETRY } from './retry.js';
import { compareVersions, knownAuthIssuesFor, parseDokployVersion } from './version.js';

describe('public helpers validate their input with typed errors', () => {
  it.each([
    ['normalizeBaseUrl', () => normalizeBaseUrl(42 as never)],
    ['isLocalHost', () => isLocalHost(undefined as never)],
    ['maskSecret', () => maskSecret(null as never)],
    ['isSecretEnvKey', () => isSecretEnvKey({} as never)],
    ['redactEnv', () => redactEnv(1 as never)],
    ['backoffDelay policy', () => backoffDelay({ retries: 1 } as never, 0)],
    ['backoffDelay retry', () => backoffDelay(DEFAULT_RETRY, -1)],
    ['compareVersions', () => compareVersions({} as never, '0.1.0')],
    ['knownAuthIssuesFor', () => knownAuthIssuesFor({ major: 'x' } as never)],
  ])('%s', (_name, fn) => {
    let error: unknown;
    try {
      fn();
    } catch (e) {
      error = e;
    }
    expect(DokployInputError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/Invalid .*Fix:/);
  });

  it('valid inputs still work', () => {
    expect(compareVersions(parseDokployVersion('0.2.0'), '0.1.0')).toBeGreaterThan(0);
  });
});
