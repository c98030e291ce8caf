import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DnsServer, startDnsServer } from './dns-server.js';

let dns: DnsServer;
let resolver: Resolver;
beforeAll(async () => {
  dns = await startDnsServer({ 'db.stack.test': '203.0.113.9' });
  resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([dns.server]);
});
afterAll(() => dns.close());

it('answers A queries for known names, case-insensitively, and records each name asked', async () => {
  expect(await resolver.resolve4('DB.Stack.test')).toEqual(['203.0.113.9']);
  expect(dns.queries).toContain('db.stack.test');
});

it('answers other types of a known name with no records, and unknown names with NXDOMAIN', async () => {
  await expect(resolver.resolve6('db.stack.test')).rejects.toMatchObject({ code: 'ENODATA' });
  await expect(resolver.resolve4('other.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
});
