import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** Wildcard-DNS services whose names embed the address they resolve to (Dokploy's generated domains). */
const WILDCARD_DNS = /\.(sslip\.io|nip\.io|traefik\.me)$/i;

const RANGES: readonly [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', '"this network"'],
  ['10.0.0.0', 8, 'ipv4', 'private (RFC 1918)'],
  ['100.64.0.0', 10, 'ipv4', 'carrier-grade NAT (RFC 6598)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['172.16.0.0', 12, 'ipv4', 'private (RFC 1918)'],
  ['192.168.0.0', 16, 'ipv4', 'private (RFC 1918)'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['fc00::', 7, 'ipv6', 'unique-local (private)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
];

/** The address a wildcard-DNS name embeds, and whether Let's Encrypt could reach it. */
export interface EmbeddedAddress {
  readonly address: string;
  readonly public: boolean;
  /** For a non-public address: which range (`private (RFC 1918)`, `loopback`, …). */
  readonly range?: string;
}

/** Which non-public range an address is in, or undefined for a public one. */
export function nonPublicRange(address: string): string | undefined {
  const family = isIPv4(address) ? 'ipv4' : 'ipv6';
  for (const [net, prefix, fam, label] of RANGES) {
    if (fam !== family) continue;
    const list = new BlockList();
    list.addSubnet(net, prefix, fam);
    if (list.check(address, fam)) return label;
  }
  return undefined;
}

/**
 * The IP address embedded in a sslip.io / nip.io / traefik.me name (`app-1a2b3c-203-0-113-7.sslip.io`,
 * `203.0.113.7.sslip.io`, `2a01-4f8--1.sslip.io`), or undefined when the name is not one.
 */
export function embeddedAddress(host: string): EmbeddedAddress | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  const m = WILDCARD_DNS.exec(h);
  if (!m) return undefined;
  const name = h.slice(0, m.index);
  const dotted = /(?:^|[.-])(\d{1,3}(?:\.\d{1,3}){3})$/.exec(name)?.[1];
  const dashed = /(?:^|[.-])(\d{1,3}(?:-\d{1,3}){3})$/.exec(name)?.[1]?.replaceAll('-', '.');
  let address = [dotted, dashed].find((a) => a !== undefined && isIPv4(a));
  if (!address) {
    const label = name.split('.').at(-1) ?? '';
    for (let i = 0; i < label.length && !address; i++) {
      if (i > 0 && label[i - 1] !== '-') continue;
      const candidate = label.slice(i).replaceAll('-', ':');
      if (candidate.includes(':') && isIPv6(candidate)) address = candidate;
    }
  }
  if (!address) return undefined;
  const range = nonPublicRange(address);
  return range ? { address, public: false, range } : { address, public: true };
}
