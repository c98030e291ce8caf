import { ConnectionStringError } from './errors.js';
import { applyCoreKey, type CoreDraft, checkParams, parsePort } from './libpq-keys.js';
import { type CoreFields, DEFAULT_PORT, type ParseNote } from './target.js';

export interface ParseDefaults {
  host?: string | undefined;
  port?: number | undefined;
  user?: string | undefined;
  password?: string | undefined;
  database?: string | undefined;
}

function decode(raw: string, part: string, secret = false): string {
  try {
    return decodeURIComponent(raw);
  } catch (error) {
    const shown = secret ? '' : ` "${raw}"`;
    throw new ConnectionStringError(
      part,
      `The ${part}${shown} has a "%" that is not followed by two hex digits. Fix: percent-encode it (write "%" as %25), e.g. with encodeURIComponent().`,
      { cause: error },
    );
  }
}

const SCHEME = /^(postgres(?:ql)?):\/\//i;

export function isPostgresUrl(input: string): boolean {
  return SCHEME.test(input.trim());
}

/** Parses `postgres://` / `postgresql://` URLs (libpq URI rules, tolerant of an unencoded `@` in the password). */
export function parseUrl(input: string, defaults: ParseDefaults = {}): CoreFields {
  const text = input.trim();
  const scheme = SCHEME.exec(text);
  if (!scheme) {
    const found = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1];
    throw new ConnectionStringError(
      'scheme',
      `${found ? `The scheme "${found}:" is not a Postgres URL scheme` : 'The input has no URL scheme'}. Fix: start with postgresql:// (or postgres://).`,
    );
  }
  const notes: ParseNote[] = [];
  let rest = text.slice(scheme[0].length);
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    throw new ConnectionStringError(
      'fragment',
      'The URL contains "#", which ends a URL. Fix: if it is part of the password, percent-encode it as %23.',
    );
  }
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  // userinfo ends at the LAST "@": a raw "@" in the password is a common mistake we can still read
  const at = rest.lastIndexOf('@');
  let userinfo: string | undefined;
  let hostAndPath = rest;
  if (at >= 0) {
    userinfo = rest.slice(0, at);
    hostAndPath = rest.slice(at + 1);
  }
  let user = defaults.user;
  let password = defaults.password;
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    const rawUser = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
    const rawPassword = colon >= 0 ? userinfo.slice(colon + 1) : undefined;
    if (rawUser.includes('@') || rawUser.includes('/')) {
      throw new ConnectionStringError(
        'user',
        'The user name contains "@" or "/". Fix: percent-encode special characters in the user (encodeURIComponent).',
      );
    }
    if (rawUser) user = decode(rawUser, 'user');
    if (rawPassword !== undefined) {
      if (/[@/?]/.test(rawPassword)) {
        const chars = [...new Set(rawPassword.match(/[@/?]/g) ?? [])].join(' ');
        notes.push({
          code: 'PASSWORD_UNENCODED_CHARS',
          message: `The password contains unencoded ${chars} (read here up to the last "@", but libpq, psql and compose URLs split at the first one and take part of the password as the host).`,
          fix: 'Percent-encode the password (@ → %40, / → %2F, ? → %3F), e.g. render the target with renderUrl().',
        });
      }
      password = decode(rawPassword, 'password', true);
    }
  }
  const slash = hostAndPath.indexOf('/');
  const hostport = slash >= 0 ? hostAndPath.slice(0, slash) : hostAndPath;
  const path = slash >= 0 ? hostAndPath.slice(slash + 1) : '';

  let host = defaults.host;
  let port = defaults.port ?? DEFAULT_PORT;
  if (hostport.includes(',')) {
    throw new ConnectionStringError(
      'host',
      `Several hosts ("${hostport}") are not supported. Fix: give one host; use one target per server.`,
    );
  }
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    if (close < 0) {
      throw new ConnectionStringError(
        'host',
        `The IPv6 host "${hostport}" has no closing "]". Fix: write it as [2001:db8::1]:5432.`,
      );
    }
    host = hostport.slice(1, close);
    const after = hostport.slice(close + 1);
    if (after) {
      if (!after.startsWith(':')) {
        throw new ConnectionStringError(
          'host',
          `Unexpected "${after}" after the IPv6 host. Fix: write [address]:port.`,
        );
      }
      port = parsePort(after.slice(1));
    }
  } else if (hostport) {
    const colon = hostport.lastIndexOf(':');
    let rawHost = hostport;
    if (colon >= 0) {
      rawHost = hostport.slice(0, colon);
      if (rawHost.includes(':')) {
        throw new ConnectionStringError(
          'host',
          `The host "${hostport}" looks like an IPv6 address without brackets. Fix: write [${hostport}] (and add :port after the bracket).`,
        );
      }
      const rawPort = hostport.slice(colon + 1);
      if (rawPort) port = parsePort(rawPort);
    }
    if (rawHost) host = decode(rawHost, 'host');
  }
  let database = defaults.database;
  if (path) {
    if (path.includes('/')) {
      throw new ConnectionStringError(
        'database',
        `The path "/${path}" has more than one segment. Fix: the path is only the database name; percent-encode "/" inside it as %2F.`,
      );
    }
    database = decode(path, 'database');
  }

  const params: Record<string, string> = {};
  if (query) {
    const draft: CoreDraft = { host, port, user, password, database };
    for (const pair of query.split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new ConnectionStringError(
          'parameters',
          `The query parameter "${pair.startsWith('password') ? 'password' : pair}" has no value. Fix: write name=value pairs joined by &.`,
        );
      }
      const key = decode(pair.slice(0, eq), 'parameter name');
      const value = decode(pair.slice(eq + 1), `parameter ${key}`, key === 'password');
      if (!applyCoreKey(draft, key, value, `parameter ${key}`)) params[key] = value;
    }
    ({ host, port, user, password, database } = draft);
  }
  checkParams(params);
  if (!host) host = 'localhost';
  if (!user) {
    throw new ConnectionStringError(
      'user',
      'The URL names no user. Fix: postgresql://USER:PASSWORD@host:port/database (the Supabase pooler needs postgres.<tenant>).',
    );
  }
  return {
    source: 'url',
    host,
    port,
    user,
    password,
    database: database ?? 'postgres',
    params,
    notes,
  };
}
