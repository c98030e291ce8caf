/**
 * jose is loaded on the first sign or verify, not at import: diagnosis (the hot, synchronous
 * path) checks HS256 with node:crypto's HMAC and ES256 with crypto.verify, and never needs it.
 * Node caches the module, so later calls cost one resolved promise.
 */
export function loadJose(): Promise<typeof import('jose')> {
  return import('jose');
}
