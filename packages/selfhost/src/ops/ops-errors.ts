import { ERROR_CODES, kindCheck, SelfhostError } from '../errors.js';

/** The history holds no env or compose-file change of this compose that could be undone. */
export class RollbackUnavailableError extends SelfhostError {
  readonly composeId: string;
  constructor(composeId: string, historyDir: string) {
    super(
      ERROR_CODES.ROLLBACK_UNAVAILABLE,
      `The history in ${historyDir} holds no env or compose-file change of compose ${composeId} that was not rolled back already, so there is nothing to restore. Fix: pass the history directory the change was made with (the wizard's, repair's or updateCompose's), or restore the env by hand in Dokploy's Environment tab.`,
    );
    this.name = 'RollbackUnavailableError';
    this.composeId = composeId;
  }
  static override isInstance(error: unknown): error is RollbackUnavailableError {
    return kindCheck(ERROR_CODES.ROLLBACK_UNAVAILABLE)(error);
  }
}

/** The compose changed after the recorded write, so restoring would overwrite a later change. */
export class RollbackStaleError extends SelfhostError {
  readonly composeId: string;
  readonly recordId: string;
  constructor(composeId: string, recordId: string, what: 'env' | 'compose file') {
    super(
      ERROR_CODES.ROLLBACK_STALE,
      `The ${what} of compose ${composeId} is no longer what history record ${recordId} wrote: someone changed it since, and a rollback would silently drop that change. Nothing was written. Fix: look at the change in Dokploy; pass force: true to restore the recorded value anyway.`,
    );
    this.name = 'RollbackStaleError';
    this.composeId = composeId;
    this.recordId = recordId;
  }
  static override isInstance(error: unknown): error is RollbackStaleError {
    return kindCheck(ERROR_CODES.ROLLBACK_STALE)(error);
  }
}

/** A domain id or host that the compose does not have. */
export class DomainNotFoundError extends SelfhostError {
  constructor(composeId: string, what: string, known: readonly string[]) {
    super(
      ERROR_CODES.DOMAIN_NOT_FOUND,
      `Compose ${composeId} has no domain ${what} (it has: ${known.length > 0 ? known.join(', ') : 'none'}). Fix: pass one of its domain ids or hosts (listDomains), or add the domain first.`,
    );
    this.name = 'DomainNotFoundError';
  }
  static override isInstance(error: unknown): error is DomainNotFoundError {
    return kindCheck(ERROR_CODES.DOMAIN_NOT_FOUND)(error);
  }
}

/**
 * Let's Encrypt was asked for a name it cannot validate: a generated sslip.io/traefik.me name
 * whose embedded address is private, loopback or shared (CGNAT), so its HTTP-01 challenge can
 * never reach the server.
 */
export class LetsEncryptUnreachableError extends SelfhostError {
  readonly host: string;
  readonly address: string;
  readonly range: string;
  constructor(host: string, address: string, range: string) {
    super(
      ERROR_CODES.LETSENCRYPT_UNREACHABLE,
      `${host} resolves to ${address}, a ${range} address: Let's Encrypt validates from the public internet and can never reach it, so the certificate would fail and Traefik would serve its self-signed one. Nothing was written. Fix: use a domain of your own whose DNS points at the server's public IP and request Let's Encrypt for that; or keep this name with https: true and certificateType "none" (Traefik's self-signed certificate, browsers warn) or plain http for a local test instance.`,
    );
    this.name = 'LetsEncryptUnreachableError';
    this.host = host;
    this.address = address;
    this.range = range;
  }
  static override isInstance(error: unknown): error is LetsEncryptUnreachableError {
    return kindCheck(ERROR_CODES.LETSENCRYPT_UNREACHABLE)(error);
  }
}

/** The TLS handshake for the expiry check failed (refused, timed out, no certificate). */
export class TlsCheckError extends SelfhostError {
  readonly host: string;
  constructor(host: string, port: number, reason: string, options?: { cause?: unknown }) {
    super(
      ERROR_CODES.TLS_CHECK_FAILED,
      `The TLS handshake with ${host}:${port} failed: ${reason}. Fix: check that the domain resolves to the server, that port ${port} is open and that the domain has https enabled and was redeployed since.`,
      options,
    );
    this.name = 'TlsCheckError';
    this.host = host;
  }
  static override isInstance(error: unknown): error is TlsCheckError {
    return kindCheck(ERROR_CODES.TLS_CHECK_FAILED)(error);
  }
}
