import { describe, expect, it } from 'vitest';
import { createDokployClient } from './client.js';
import { DokployConfigError } from './errors.js';
import { resolveOptions } from './options.js';

describe('client options', () => {
  const base = { baseUrl: 'https://dokploy.example.com/api/', apiKey: 'key_0123456789' };

  it('fills defaults', () => {
    const o = resolveOptions(base);
    expect(o).toMatchObject({
      name: 'default',
      timeoutMs: 30_000,
      retry: { retries: 2, minDelayMs: 200, maxDelayMs: 5_000, factor: 2 },
      version: undefined,
    });
    expect(o.base.api).toBe('https://dokploy.example.com/api');
  });

  it('merges a partial retry policy, or disables it', () => {
    expect(resolveOptions({ ...base, retry: { retries: 5 } }).retry).toEqual({
      retries: 5,
      minDelayMs: 200,
      maxDelayMs: 5_000,
      factor: 2,
    });
    expect(resolveOptions({ ...base, retry: false }).retry.retries).toBe(0);
    expect(() => resolveOptions({ ...base, retry: { minDelayMs: 100, maxDelayMs: 50 } })).toThrow(
      /maxDelayMs/,
    );
  });

  it('reserves the headers the client sets and treats header values as secrets', () => {
    expect(() => resolveOptions({ ...base, headers: { 'X-Api-Key': 'x' } })).toThrow(
      DokployConfigError,
    );
    expect(() => resolveOptions({ ...base, headers: { 'Content-Type': 'text/plain' } })).toThrow(
      /set by the client/,
    );
    expect(
      resolveOptions({ ...base, headers: { 'CF-Access-Client-Secret': 'zzz-secret' } }).secrets,
    ).toContain('zzz-secret');
  });

  it.each([
    [{ apiKey: '' }, /apiKey is required/],
    [{ apiKey: 'has space' }, /whitespace/],
    [{ timeoutMs: 0 }, /timeoutMs/],
    [{ name: 'bad name' }, /name/],
    [{ retry: { retries: 99 } }, /retry\.retries/],
    [{ version: 'latest' }, /not a Dokploy version/],
    [{ logger: 'console' }, /logger/],
  ])('rejects %j', (patch, message) => {
    expect(() => resolveOptions({ ...base, ...(patch as object) })).toThrow(message);
  });

  it('warns about plain http to a public host through the logger or process warnings', async () => {
    const warnings: string[] = [];
    createDokployClient({
      baseUrl: 'http://dokploy.example.com',
      apiKey: 'key_0123456789',
      logger: { warn: (m) => warnings.push(m) },
    });
    expect(warnings[0]).toMatch(/plain http to a non-local host.*Fix: use https/);
    createDokployClient({
      baseUrl: 'http://localhost:3000',
      apiKey: 'key_0123456789',
      logger: { warn: (m) => warnings.push(m) },
    });
    expect(warnings).toHaveLength(1);
    const seen = new Promise<Error>((resolve) => process.once('warning', resolve));
    createDokployClient({ baseUrl: 'http://dokploy.example.com', apiKey: 'key_0123456789' });
    expect((await seen).message).toMatch(/plain http/);
  });

  it('input errors list the issues and send nothing', async () => {
    const client = createDokployClient({
      ...base,
      version: '0.30.2',
      fetch: () => Promise.reject(new Error('must not be called')),
    });
    await expect(client.project.one({ projectId: '' })).rejects.toMatchObject({
      code: 'DOKPLOY_INVALID_INPUT',
      issues: [{ path: ['projectId'] }],
    });
    await expect(client.compose.create({ name: 'x' })).rejects.toThrow(/give environmentId/);
    await expect(
      client.compose.readLogs({ composeId: 'c', containerId: 'bad id' }),
    ).rejects.toThrow(/containerId/);
    await expect(client.project.one({ projectId: 'p', extra: 1 } as never)).rejects.toThrow(
      /Unrecognized key/,
    );
    await expect(client.mounts.updateFile({ mountId: 'm' } as never)).rejects.toThrow(/content/);
  });
});
