import { describe, expect, it } from 'vitest';
import { isLocalHost, normalizeBaseUrl } from './base-url.js';
import { DokployConfigError } from './errors.js';

describe('normalizeBaseUrl', () => {
  it.each([
    'https://dokploy.example.com',
    'https://dokploy.example.com/',
    'https://dokploy.example.com/api',
    'https://dokploy.example.com/api/',
    '  https://dokploy.example.com/api//  ',
  ])('%s → one canonical form', (input) => {
    expect(normalizeBaseUrl(input)).toEqual({
      root: 'https://dokploy.example.com',
      api: 'https://dokploy.example.com/api',
      ws: 'wss://dokploy.example.com',
      insecure: false,
    });
  });

  it('keeps a path prefix and a port', () => {
    expect(normalizeBaseUrl('http://10.0.0.5:3000/dokploy/api/')).toEqual({
      root: 'http://10.0.0.5:3000/dokploy',
      api: 'http://10.0.0.5:3000/dokploy/api',
      ws: 'ws://10.0.0.5:3000/dokploy',
      insecure: false,
    });
  });

  it('flags plain http to a public host only', () => {
    expect(normalizeBaseUrl('http://dokploy.example.com').insecure).toBe(true);
    expect(normalizeBaseUrl('http://localhost:3000').insecure).toBe(false);
    expect(normalizeBaseUrl('http://127.0.0.1:3000').insecure).toBe(false);
    expect(normalizeBaseUrl('http://[::1]:3000').insecure).toBe(false);
    expect(normalizeBaseUrl('https://dokploy.example.com').insecure).toBe(false);
  });

  it.each([
    'dokploy.example.com',
    'ftp://x.test',
    'https://x.test/?a=1',
    'https://user:pw@x.test',
    'https://x.test/#h',
  ])('refuses %s with a typed error', (bad) => {
    expect(() => normalizeBaseUrl(bad)).toThrow(DokployConfigError);
  });

  it('knows local and private hosts', () => {
    for (const h of [
      'localhost',
      'app.localhost',
      'box.local',
      '192.168.1.4',
      '172.20.0.3',
      '10.1.2.3',
      'dokploy.internal',
    ]) {
      expect(isLocalHost(h)).toBe(true);
    }
    for (const h of ['example.com', '172.40.0.1', '8.8.8.8']) expect(isLocalHost(h)).toBe(false);
  });
});
