import { startDnsServer } from '@supaops/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type DokploySimulator, startDokploySimulator } from '../src/index.js';
import { call, deployAndSettle, newCompose, ok } from './http.js';

let sim: DokploySimulator | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});
async function start(version: string, extra: Parameters<typeof startDokploySimulator>[0] = {}) {
  sim = await startDokploySimulator({ version, deployDurationMs: 1, ...extra });
  return sim;
}

describe('domains', () => {
  it.each([
    ['0.29.8', 200],
    ['0.29.9', 400],
  ])('the hostname rule: on %s "bad_host.example.com" answers %i', async (version, status) => {
    const s = await start(version);
    const { composeId } = await newCompose(s);
    const created = await call(s, 'POST', 'domain.create', {
      host: 'bad_host.example.com',
      composeId,
    });
    expect(created.status).toBe(status);
    if (status === 400) {
      expect(created.body).toMatchObject({
        message: 'Input validation failed',
        code: 'BAD_REQUEST',
      });
      expect(JSON.stringify(created.body)).toContain('Underscores are not allowed');
      expect(
        (await call(s, 'POST', 'domain.create', { host: ' a.example.com', composeId })).status,
      ).toBe(400);
      expect(
        (await call(s, 'POST', 'domain.create', { host: '-a.example.com', composeId })).status,
      ).toBe(400);
      const good = await ok(
        call(s, 'POST', 'domain.create', { host: 'xn--bcher-kva.de', composeId }),
      );
      expect(
        (await call(s, 'POST', 'domain.update', { domainId: good.domainId, host: 'http://x.test' }))
          .status,
      ).toBe(400);
    }
  });

  it('generateDomain keeps the app name verbatim, cut to 40 from v0.25.7, on sslip.io from v0.29.3', async () => {
    const s = await start('0.30.2', { serverIp: '10.0.0.7' });
    const name = 'Shop_Supabase-AB12cd';
    expect(await ok(call(s, 'POST', 'domain.generateDomain', { appName: name }))).toMatch(
      /^Shop_Supabase-AB12cd-[0-9a-f]{6}-10-0-0-7\.sslip\.io$/,
    );
    const long = 'x'.repeat(50);
    expect(await ok(call(s, 'POST', 'domain.generateDomain', { appName: long }))).toMatch(
      new RegExp(`^${'x'.repeat(40)}-[0-9a-f]{6}-10-0-0-7\\.sslip\\.io$`),
    );
    s.setVersion('0.25.6');
    expect(await ok(call(s, 'POST', 'domain.generateDomain', { appName: long }))).toMatch(
      new RegExp(`^${long}-[0-9a-f]{6}-10-0-0-7\\.traefik\\.me$`),
    );
    s.setVersion('0.29.2');
    expect(await ok(call(s, 'POST', 'domain.generateDomain', { appName: 'a' }))).toMatch(
      /\.traefik\.me$/,
    );
  });

  it('validateDomain: from v0.22.0; comma-joined addresses; protocol and path stripped; names that do not resolve are invalid', async () => {
    const s = await start('0.21.7');
    expect((await call(s, 'POST', 'domain.validateDomain', { domain: 'a.test' })).status).toBe(404);
    s.setVersion('0.22.0');
    s.state.dns.set('multi.example.test', '10.0.0.1, 10.0.0.2');
    expect(
      await ok(
        call(s, 'POST', 'domain.validateDomain', {
          domain: 'https://multi.example.test/path',
          serverIp: '10.0.0.2',
        }),
      ),
    ).toEqual({ isValid: true, resolvedIp: '10.0.0.1, 10.0.0.2' });
    expect(
      await ok(call(s, 'POST', 'domain.validateDomain', { domain: 'nowhere.example.test' })),
    ).toEqual({
      isValid: false,
      error: 'queryA ENOTFOUND nowhere.example.test',
    });
    expect(
      await ok(call(s, 'POST', 'domain.validateDomain', { domain: 'app-10-1-2-3.sslip.io' })),
    ).toEqual({ isValid: true, resolvedIp: '10.1.2.3' });
  });

  it('validateDomain resolves through a DNS server on loopback, and only loopback servers are accepted', async () => {
    const dns = await startDnsServer({ 'api.shop.test': '203.0.113.9' });
    try {
      const s = await start('0.30.2', { dnsServers: [dns.server] });
      expect(
        await ok(call(s, 'POST', 'domain.validateDomain', { domain: 'api.shop.test' })),
      ).toEqual({
        isValid: true,
        resolvedIp: '203.0.113.9',
      });
      expect(
        await ok(
          call(s, 'POST', 'domain.validateDomain', {
            domain: 'api.shop.test',
            serverIp: '127.0.0.1',
          }),
        ),
      ).toMatchObject({
        isValid: false,
        error: 'Domain resolves to 203.0.113.9 but should point to 127.0.0.1',
      });
      expect(
        (await ok(call(s, 'POST', 'domain.validateDomain', { domain: 'other.shop.test' }))).isValid,
      ).toBe(false);
      expect(dns.queries).toEqual(expect.arrayContaining(['api.shop.test', 'other.shop.test']));
    } finally {
      await dns.close();
    }
    await expect(startDokploySimulator({ dnsServers: ['8.8.8.8'] })).rejects.toThrow(
      /only loopback DNS servers/,
    );
  });

  it('domain changes reach Traefik only at the next deploy', async () => {
    const s = await start('0.30.2');
    const { composeId, appName } = await newCompose(s);
    const domain = await ok(
      call(s, 'POST', 'domain.create', {
        host: 'old.example.test',
        composeId,
        serviceName: 'web',
        domainType: 'compose',
        port: 80,
      }),
    );
    await deployAndSettle(s, composeId);
    expect(s.routes()).toEqual([
      { host: 'old.example.test', https: false, appName, service: 'web', port: 80 },
    ]);
    await ok(
      call(s, 'POST', 'domain.update', {
        domainId: domain.domainId,
        host: 'new.example.test',
        https: true,
        certificateType: 'letsencrypt',
      }),
    );
    expect(s.routes().map((r) => r.host)).toEqual(['old.example.test']);
    const web = [...s.state.containers.values()].find((c) => c.service === 'web');
    const labels = (
      await ok(call(s, 'GET', 'docker.getConfig', { containerId: web?.containerId ?? '' }))
    ).Config.Labels as Record<string, string>;
    expect(Object.values(labels)).toContain('Host(`old.example.test`)');
    await deployAndSettle(s, composeId);
    expect(s.routes()).toEqual([
      { host: 'new.example.test', https: true, appName, service: 'web', port: 80 },
    ]);
    const web2 = [...s.state.containers.values()].find((c) => c.service === 'web');
    const labels2 = (
      await ok(call(s, 'GET', 'docker.getConfig', { containerId: web2?.containerId ?? '' }))
    ).Config.Labels as Record<string, string>;
    expect(Object.entries(labels2)).toEqual(
      expect.arrayContaining([
        [expect.stringMatching(/websecure\.tls\.certresolver$/), 'letsencrypt'],
        [expect.stringMatching(/-web\.middlewares$/), 'redirect-to-https@file'],
      ]),
    );
    await ok(call(s, 'POST', 'compose.stop', { composeId }));
    expect(s.routes()).toEqual([]);
  });

  it('self-signed and custom resolvers on https routes, and path prefixes', async () => {
    const s = await start('0.30.2');
    const { composeId } = await newCompose(s);
    for (const [host, certificateType, resolver] of [
      ['none.example.test', 'none', null],
      ['custom.example.test', 'custom', 'myresolver'],
    ] as const) {
      await ok(
        call(s, 'POST', 'domain.create', {
          host,
          composeId,
          serviceName: 'db',
          https: true,
          certificateType,
          customCertResolver: resolver,
          path: '/api',
        }),
      );
    }
    await deployAndSettle(s, composeId);
    const db = [...s.state.containers.values()].find((c) => c.service === 'db');
    const labels = (
      await ok(call(s, 'GET', 'docker.getConfig', { containerId: db?.containerId ?? '' }))
    ).Config.Labels as Record<string, string>;
    const values = Object.entries(labels);
    expect(values).toEqual(
      expect.arrayContaining([
        [expect.stringMatching(/websecure\.tls$/), 'true'],
        [expect.stringMatching(/websecure\.tls\.certresolver$/), 'myresolver'],
        [expect.stringMatching(/\.rule$/), 'Host(`none.example.test`) && PathPrefix(`/api`)'],
      ]),
    );
  });
});
