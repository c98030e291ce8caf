import { Resolver } from 'node:dns/promises';
import { embeddedIp } from './domain-name.js';
import type { SimulatorState } from './state.js';

/** A DNS server address that stays on this machine: `127.x.x.x[:port]` or `[::1][:port]`. */
const LOOPBACK_SERVER_RE = /^(?:127(?:\.\d{1,3}){3}(?::\d{1,5})?|\[::1\](?::\d{1,5})?|::1)$/;

export function isLoopbackDnsServer(server: string): boolean {
  return LOOPBACK_SERVER_RE.test(server);
}

/**
 * Resolves names for `domain.validateDomain` without ever reaching the network: first
 * `state.dns`, then the IP embedded in sslip.io / traefik.me names, then (only when given)
 * DNS servers on loopback. Anything else does not resolve, like an NXDOMAIN.
 */
export function createResolver(
  state: SimulatorState,
  dnsServers: readonly string[] | undefined,
): (host: string) => Promise<string[]> {
  let resolver: Resolver | undefined;
  if (dnsServers?.length) {
    resolver = new Resolver({ timeout: 2_000, tries: 1 });
    resolver.setServers([...dnsServers]);
  }
  return async (host: string) => {
    const known = state.dns.get(host.toLowerCase()) ?? state.dns.get(host);
    if (known) {
      return known
        .split(',')
        .map((ip) => ip.trim())
        .filter(Boolean);
    }
    const embedded = embeddedIp(host);
    if (embedded) return [embedded];
    if (!resolver) return [];
    try {
      return await resolver.resolve4(host);
    } catch {
      return [];
    }
  };
}
