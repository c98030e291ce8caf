/** Host names that mean "this machine". */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

/** Browser origins allowed to call the server: localhost on its port, plus the configured ones. */
export function allowedOrigins(port: number, extra: readonly string[] = []): Set<string> {
  const out = new Set<string>();
  for (const name of LOOPBACK_NAMES) {
    out.add(`http://${name}:${port}`);
    out.add(`https://${name}:${port}`);
  }
  for (const origin of extra) out.add(origin.replace(/\/+$/, ''));
  return out;
}

/**
 * The DNS-rebinding guard: a request without Origin (a non-browser client) passes; a browser's
 * Origin must be one of the allowed ones.
 */
export function originAllowed(origin: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (origin === undefined) return true;
  return allowed.has(origin.replace(/\/+$/, ''));
}

/** With a loopback bind, the Host header must name loopback on our port (a rebound name does not). */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return LOOPBACK_NAMES.some((name) => host === `${name}:${port}`);
}
