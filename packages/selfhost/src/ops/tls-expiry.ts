import type { PeerCertificate } from 'node:tls';
import { connect as tlsConnect } from 'node:tls';
import { z } from 'zod';
import { parseInput } from '../errors.js';
import { TlsCheckError } from './ops-errors.js';

/** What the expiry check reads from a certificate (node's PeerCertificate has these fields). */
export interface CertificateInfo {
  readonly valid_from: string;
  readonly valid_to: string;
  readonly subject?: { CN?: string | string[] } | undefined;
  readonly issuer?: { CN?: string | string[]; O?: string | string[] } | undefined;
  readonly subjectaltname?: string | undefined;
  readonly fingerprint256?: string | undefined;
}

export interface CertificateExpiry {
  readonly host: string;
  readonly port: number;
  readonly validFrom: string;
  readonly validTo: string;
  /** Whole days left (negative once expired). */
  readonly daysLeft: number;
  readonly expired: boolean;
  /** True at `warnDays` (default 7) days left or fewer. */
  readonly warning: boolean;
  readonly subject?: string;
  readonly issuer?: string;
  /** Issuer equal to subject: Traefik's default certificate, or any self-signed one. */
  readonly selfSigned: boolean;
  /** Whether the chain verified against the system CAs for this host name. */
  readonly trusted: boolean;
  readonly trustError?: string;
  readonly message: string;
}

/** Opens a TLS connection and resolves with the peer's certificate (injectable for tests). */
export type TlsConnector = (options: {
  host: string;
  port: number;
  servername: string;
  timeoutMs: number;
}) => Promise<{ certificate: CertificateInfo; authorized: boolean; authorizationError?: string }>;

const DAY_MS = 86_400_000;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** Days left and the warning of one certificate at `now`. */
export function certificateExpiry(
  cert: CertificateInfo,
  o: {
    host: string;
    port?: number;
    now?: Date;
    warnDays?: number;
    authorized?: boolean;
    trustError?: string;
  },
): CertificateExpiry {
  const validTo = new Date(cert.valid_to);
  const validFrom = new Date(cert.valid_from);
  const now = o.now ?? new Date();
  const warnDays = o.warnDays ?? 7;
  const daysLeft = Math.floor((validTo.getTime() - now.getTime()) / DAY_MS);
  const expired = validTo.getTime() <= now.getTime();
  const subject = first(cert.subject?.CN);
  const issuer = first(cert.issuer?.CN) ?? first(cert.issuer?.O);
  const selfSigned = subject !== undefined && subject === first(cert.issuer?.CN);
  const warning = expired || daysLeft <= warnDays;
  const message = expired
    ? `The certificate of ${o.host} expired on ${validTo.toISOString()}. Fix: check Traefik's ACME log (Let's Encrypt renews 30 days ahead; a renewal failing this long means the HTTP challenge cannot reach the server), or upload a new custom certificate.`
    : warning
      ? `The certificate of ${o.host} expires in ${daysLeft} day(s), on ${validTo.toISOString()}. Fix: Let's Encrypt should have renewed it 30 days ahead: check that port 80 reaches Traefik and read its ACME log; a custom certificate must be replaced by hand.`
      : `The certificate of ${o.host} is valid for ${daysLeft} more days (until ${validTo.toISOString()}).`;
  return {
    host: o.host,
    port: o.port ?? 443,
    validFrom: validFrom.toISOString(),
    validTo: validTo.toISOString(),
    daysLeft,
    expired,
    warning,
    ...(subject ? { subject } : {}),
    ...(issuer ? { issuer } : {}),
    selfSigned,
    trusted: o.authorized === true,
    ...(o.trustError ? { trustError: o.trustError } : {}),
    message,
  };
}

/** The default connector: node:tls with verification recorded but not enforced. */
export const nodeTlsConnector: TlsConnector = ({ host, port, servername, timeoutMs }) =>
  new Promise((resolve, reject) => {
    const socket = tlsConnect({ host, port, servername, rejectUnauthorized: false });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no handshake within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const certificate = socket.getPeerCertificate() as PeerCertificate;
      const authorized = socket.authorized;
      const authorizationError = socket.authorizationError
        ? String(socket.authorizationError)
        : undefined;
      socket.end();
      if (!certificate?.valid_to) {
        reject(new Error('the server sent no certificate'));
        return;
      }
      resolve({ certificate, authorized, ...(authorizationError ? { authorizationError } : {}) });
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });

export interface CheckCertificateInput {
  host: string;
  /** Default 443. */
  port?: number;
  /** Where to connect when it is not `host` itself (a tunnel, a test server); SNI stays `host`. */
  connectHost?: string;
  warnDays?: number;
  timeoutMs?: number;
  now?: Date;
  connect?: TlsConnector;
}

const schema = z
  .object({
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65535).optional(),
    connectHost: z.string().min(1).optional(),
    warnDays: z.number().int().min(0).max(365).optional(),
    timeoutMs: z.number().int().min(1).max(120_000).optional(),
    now: z.date().optional(),
    connect: z.custom<TlsConnector>((v) => typeof v === 'function').optional(),
  })
  .strict();

/**
 * The TLS certificate a domain serves, by a handshake with SNI: days left, a warning at 7 days
 * or fewer, self-signed (Traefik's default when Let's Encrypt failed) and trust. A failed
 * handshake is TlsCheckError.
 */
export async function checkCertificateExpiry(
  input: CheckCertificateInput,
): Promise<CertificateExpiry> {
  const o = parseInput('checkCertificateExpiry', schema, input);
  const port = o.port ?? 443;
  const connect = o.connect ?? nodeTlsConnector;
  let peer: Awaited<ReturnType<TlsConnector>>;
  try {
    peer = await connect({
      host: o.connectHost ?? o.host,
      port,
      servername: o.host,
      timeoutMs: o.timeoutMs ?? 10_000,
    });
  } catch (cause) {
    throw new TlsCheckError(o.host, port, (cause as Error)?.message ?? String(cause), { cause });
  }
  return certificateExpiry(peer.certificate, {
    host: o.host,
    port,
    ...(o.now ? { now: o.now } : {}),
    ...(o.warnDays !== undefined ? { warnDays: o.warnDays } : {}),
    authorized: peer.authorized,
    ...(peer.authorizationError ? { trustError: peer.authorizationError } : {}),
  });
}
