import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import {
  changeDomain,
  checkCertificateExpiry,
  DomainNotFoundError,
  embeddedAddress,
  LetsEncryptUnreachableError,
  listDomains,
  TlsCheckError,
} from '../src/index.js';
import { deployWithWizard, HOST } from './deployed.js';
import { type SimulatedStack, startStack } from './stack.js';

let stack: SimulatedStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const fast = { pollMs: 5, validateAttempts: 1, validateRetryMs: 5 } as const;
const health = (s: SimulatedStack) =>
  s.fetch(`https://${HOST}/auth/v1/health`).then((r) => r.status);

describe('changeDomain (Dokploy simulator + gateway simulator)', () => {
  it('https off takes effect only at the redeploy; on again with redeploy validates', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const { composeId, history } = await deployWithWizard(s);
    const off = await changeDomain({
      client: s.client,
      history,
      composeId,
      action: 'update',
      domain: HOST,
      https: false,
    });
    expect(off).toMatchObject({ effective: false, needsRedeploy: true });
    expect(off.domain).toMatchObject({ https: false, certificateType: 'none' });
    expect(off.message).toMatch(/next deploy/);
    expect(await health(s)).not.toBe(404); // Traefik still has the old labels
    const on = await changeDomain({
      client: s.client,
      history,
      composeId,
      action: 'update',
      domain: HOST,
      https: true,
      redeploy: true,
      fetch: s.fetch,
      ...fast,
    });
    expect(on).toMatchObject({ effective: true, needsRedeploy: false });
    expect(on.domain).toMatchObject({ https: true, certificateType: 'letsencrypt' });
    expect(on.validation?.ok).toBe(true);
    const kinds = (await history.list()).filter((r) => r.actor === 'domains').map((r) => r.kind);
    expect(kinds).toEqual(['domain.update', 'domain.update', 'compose.deploy']);

    // https off with a redeploy: the https URL is gone
    await changeDomain({
      client: s.client,
      history,
      composeId,
      action: 'update',
      domain: HOST,
      https: false,
      redeploy: true,
      validate: false,
      ...fast,
    });
    expect(await health(s)).toBe(404);
  });

  it("refuses Let's Encrypt for a private sslip.io name, adds it self-signed, removes it", async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    const { composeId, history } = await deployWithWizard(s);
    const host = 'shop-a1b2c3-192-168-1-20.sslip.io';
    const count = async () => (await listDomains({ client: s.client, composeId })).length;
    const before = await count();
    await expect(
      changeDomain({ client: s.client, history, composeId, action: 'add', host, https: true }),
    ).rejects.toSatisfy(
      (e) =>
        LetsEncryptUnreachableError.isInstance(e) &&
        /192\.168\.1\.20, a private \(RFC 1918\)/.test((e as Error).message) &&
        /certificateType "none"/.test((e as Error).message),
    );
    expect(await count()).toBe(before);
    const added = await changeDomain({
      client: s.client,
      history,
      composeId,
      action: 'add',
      host,
      https: true,
      certificateType: 'none',
    });
    expect(added.domain).toMatchObject({ host, https: true, certificateType: 'none', port: 8000 });
    expect(await count()).toBe(before + 1);
    const removed = await changeDomain({
      client: s.client,
      history,
      composeId,
      action: 'remove',
      domain: added.domain.domainId,
    });
    expect(removed).toMatchObject({ action: 'remove', needsRedeploy: true });
    expect(await count()).toBe(before);
    await expect(
      changeDomain({ client: s.client, history, composeId, action: 'remove', domain: 'nope.dev' }),
    ).rejects.toSatisfy(DomainNotFoundError.isInstance);
  });
});

describe('embeddedAddress', () => {
  it.each([
    ['shop-a1b2c3-203-0-113-7.sslip.io', '203.0.113.7', true],
    ['app.10.0.0.5.sslip.io', '10.0.0.5', false],
    ['x-100-64-3-4.traefik.me', '100.64.3.4', false],
    ['x-127-0-0-1.sslip.io', '127.0.0.1', false],
    ['x-172-20-0-1.nip.io', '172.20.0.1', false],
    ['x-2a01-4f8--1.sslip.io', '2a01:4f8::1', true],
    ['x-fd00--1.sslip.io', 'fd00::1', false],
  ])('%s → %s (public %s)', (host, address, isPublic) => {
    expect(embeddedAddress(host)).toMatchObject({ address, public: isPublic });
  });
  it('is undefined for other names', () => {
    expect(embeddedAddress('supabase.acme.dev')).toBeUndefined();
    expect(embeddedAddress('shop-a1b2c3.sslip.io')).toBeUndefined();
  });
});

describe('checkCertificateExpiry (loopback TLS server, fixture certificate)', () => {
  const cert = readFileSync(new URL('./fixtures/tls-test.crt', import.meta.url));
  const key = readFileSync(new URL('./fixtures/tls-test.key', import.meta.url));
  const validTo = new Date(new X509Certificate(cert).validTo);

  it('warns at 7 days or fewer, not at 30; self-signed and untrusted', async () => {
    const server = createServer({ cert, key }, (socket) => socket.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const opts = { host: 'supabase.acme.test', connectHost: '127.0.0.1', port };
      const soon = await checkCertificateExpiry({
        ...opts,
        now: new Date(validTo.getTime() - 3 * 86_400_000 - 1000),
      });
      expect(soon).toMatchObject({ daysLeft: 3, warning: true, expired: false, selfSigned: true });
      expect(soon.trusted).toBe(false);
      expect(soon.subject).toBe('supabase.acme.test');
      const seven = await checkCertificateExpiry({
        ...opts,
        now: new Date(validTo.getTime() - 7 * 86_400_000 - 1000),
      });
      expect(seven).toMatchObject({ daysLeft: 7, warning: true });
      const later = await checkCertificateExpiry({
        ...opts,
        now: new Date(validTo.getTime() - 30 * 86_400_000),
      });
      expect(later).toMatchObject({ daysLeft: 30, warning: false });
      const gone = await checkCertificateExpiry({
        ...opts,
        now: new Date(validTo.getTime() + 1000),
      });
      expect(gone).toMatchObject({ expired: true, warning: true });
      expect(gone.message).toMatch(/expired/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('a refused handshake is TlsCheckError', async () => {
    await expect(
      checkCertificateExpiry({ host: 'supabase.acme.test', connectHost: '127.0.0.1', port: 1 }),
    ).rejects.toSatisfy(TlsCheckError.isInstance);
  });
});
