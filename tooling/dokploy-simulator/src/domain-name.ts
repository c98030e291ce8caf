import { randomBytes } from 'node:crypto';
import { atLeast, type SimVersion } from './version.js';

/** Dokploy's `slugify` (apps/dokploy/lib/slug.ts): letters, digits and spaces, lower-cased, dashed. */
export function slugify(text: string): string {
  const cleaned = text.trim().replace(/[^a-zA-Z0-9\s]/g, '') || 'service';
  return cleaned.trim().toLowerCase().replace(/\s+/g, '-');
}

/**
 * `domain.generateDomain` and the template `${domain}` helper (templates/index.ts
 * generateRandomDomain): the name **verbatim**, cut to 40 characters from v0.25.7, then
 * `-<6 hex>-<ip with . and : as ->` and `.sslip.io` (`.traefik.me` before v0.29.3).
 */
export function generateDomain(name: string, serverIp: string, version: SimVersion): string {
  const suffix = atLeast(version, '0.29.3') ? 'sslip.io' : 'traefik.me';
  const ip = (serverIp || '127.0.0.1').replaceAll('.', '-').replaceAll(':', '-');
  const hex = randomBytes(3).toString('hex');
  const label = atLeast(version, '0.25.7') && name.length > 40 ? name.slice(0, 40) : name;
  return `${label}-${hex}-${ip}.${suffix}`;
}

/** RFC 1123 host names, checked on domain.create/update from v0.29.9 (utils/hostname-validation.ts). */
export const VALID_HOSTNAME_REGEX =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/;

export const INVALID_HOSTNAME_MESSAGE =
  'Invalid domain name. Use only letters, numbers, hyphens and dots (e.g. example.com). Underscores are not allowed.';

/** The IP that sslip.io / traefik.me embed in a name (`x-10-0-0-7.sslip.io`, `10.0.0.7.sslip.io`). */
export function embeddedIp(host: string): string | undefined {
  const m =
    /(?:^|[.-])(\d{1,3})[.-](\d{1,3})[.-](\d{1,3})[.-](\d{1,3})\.(?:sslip\.io|traefik\.me)$/i.exec(
      host,
    );
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  return octets.every((o) => o <= 255) ? octets.join('.') : undefined;
}
