import { describe, expect, it } from 'vitest';
import { DokployInputError } from './errors.js';
import {
  compareVersions,
  DOKPLOY_FEATURES,
  hasFeature,
  isAtLeast,
  knownAuthIssuesFor,
  parseDokployVersion,
} from './version.js';

describe('parseDokployVersion / compareVersions', () => {
  it('parses the forms Dokploy and users write', () => {
    expect(parseDokployVersion('v0.30.2')).toEqual({
      major: 0,
      minor: 30,
      patch: 2,
      suffix: undefined,
      raw: 'v0.30.2',
    });
    expect(parseDokployVersion(' 0.25.6 ').raw).toBe('v0.25.6');
    expect(parseDokployVersion('v0.26.0-canary.3')).toMatchObject({
      suffix: 'canary.3',
      raw: 'v0.26.0-canary.3',
    });
  });

  it.each(['', 'latest', '0.30', 'v1', '0.30.2.1'])('rejects %j with a typed error', (bad) => {
    expect(() => parseDokployVersion(bad)).toThrow(DokployInputError);
  });

  it('rejects non-strings', () => {
    expect(() => parseDokployVersion(42 as unknown as string)).toThrow(/not a Dokploy version/);
  });

  it('orders versions numerically, not lexically', () => {
    expect(compareVersions('0.9.0', '0.10.0')).toBeLessThan(0);
    expect(compareVersions('v0.25.6', '0.25.6')).toBe(0);
    expect(compareVersions(parseDokployVersion('1.0.0'), '0.99.99')).toBeGreaterThan(0);
    expect(compareVersions('0.29.5', '0.29.12')).toBeLessThan(0);
    expect(isAtLeast(parseDokployVersion('0.29.5'), '0.29.5')).toBe(true);
  });

  it('feature gates follow the version table', () => {
    const v = (s: string) => parseDokployVersion(s);
    expect(hasFeature(v('0.24.9'), 'environments')).toBe(false);
    expect(hasFeature(v('0.25.0'), 'environments')).toBe(true);
    expect(hasFeature(v('0.25.5'), 'templateJwtTrim')).toBe(false);
    expect(hasFeature(v('0.25.6'), 'templateJwtTrim')).toBe(true);
    expect(hasFeature(v('0.28.9'), 'composeReadLogs')).toBe(false);
    expect(hasFeature(v('0.29.4'), 'deploymentReadLogs')).toBe(false);
    expect(hasFeature(v('0.29.12'), 'composeCreateSourceType')).toBe(false);
    expect(hasFeature(v('0.30.0'), 'composeCreateSourceType')).toBe(true);
    expect(Object.keys(DOKPLOY_FEATURES).length).toBeGreaterThan(5);
  });

  it('lists the known 401 bugs per version, all of them when unknown', () => {
    const urls = (s?: string) =>
      knownAuthIssuesFor(s ? parseDokployVersion(s) : undefined).map((i) => i.url.split('/').pop());
    expect(urls()).toEqual(['1757', '4024', '5219']);
    expect(urls('0.28.7')).toEqual(['1757', '4024']);
    expect(urls('0.30.2')).toEqual(['1757', '5219']);
    expect(urls('0.29.0')).toEqual(['1757']);
    expect(urls('0.18.0')).toEqual([]);
  });
});
