import { z } from 'zod';
import { DokployConfigError } from './errors.js';
import { ensure } from './validate.js';

/** A Dokploy address in the forms the client needs. */
export interface DokployBaseUrl {
  /** Where the UI lives, without a trailing slash, e.g. `https://dokploy.example.com`. */
  readonly root: string;
  /** The REST base, always ending in `/api` without a slash, e.g. `https://dokploy.example.com/api`. */
  readonly api: string;
  /** The WebSocket root (`ws:`/`wss:`), for `/docker-container-logs`. */
  readonly ws: string;
  /** Plain http to a host that is not loopback or a private name. */
  readonly insecure: boolean;
}

const LOCAL_HOST_RE =
  /^(localhost|.*\.localhost|.*\.local|.*\.internal|127\.\d+\.\d+\.\d+|\[::1\]|::1|0\.0\.0\.0|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+)$/i;

/** Whether `hostname` is loopback or on a private network, where plain http is fine. */
export function isLocalHost(hostname: string): boolean {
  return LOCAL_HOST_RE.test(
    ensure(z.string(), hostname, 'hostname', 'pass a host name such as "localhost".'),
  );
}

/**
 * Accepts `https://host`, `https://host/`, `https://host/api`, `https://host/api/` (and the same
 * under a path prefix) and returns one canonical form. Query strings and fragments are refused.
 */
export function normalizeBaseUrl(input: string): DokployBaseUrl {
  ensure(z.string(), input, 'baseUrl', 'pass the Dokploy address as a string.');
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch (cause) {
    throw new DokployConfigError(
      `baseUrl "${input}" is not a URL. Fix: pass the Dokploy address, e.g. "https://dokploy.example.com" (with or without /api).`,
      { cause },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DokployConfigError(
      `baseUrl must use http or https, not "${url.protocol}". Fix: use https://<your dokploy>.`,
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new DokployConfigError(
      'baseUrl must not carry a query, fragment or credentials. Fix: pass only the address; the API key goes in `apiKey`.',
    );
  }
  let path = url.pathname.replace(/\/+$/, '');
  if (path.endsWith('/api')) path = path.slice(0, -'/api'.length);
  const root = `${url.origin}${path}`;
  const wsOrigin = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
  return {
    root,
    api: `${root}/api`,
    ws: `${wsOrigin}${path}`,
    insecure: url.protocol === 'http:' && !isLocalHost(url.hostname),
  };
}
