import { ConnectionStringError } from './errors.js';
import { finishCore, type ParseDefaults } from './libpq-defaults.js';
import {
  applyCoreKey,
  CLIENT_ONLY_PARAMS,
  type CoreDraft,
  closestKeyword,
  LIBPQ_KEYS,
  normalizeSslmode,
  noteClientOnly,
} from './libpq-keys.js';
import { checkParams, parsePort } from './libpq-values.js';
import type { CoreFields, ParseNote } from './target.js';

const SECRET_KEYS = new Set(['password', 'sslpassword']);
const LOWER_SCHEME = /^postgres(?:ql)?:\/\//;

/**
 * Percent-decodes one part as libpq does: `%` must be followed by two hex digits and `%00` is
 * refused. `shown: false` keeps the raw text out of the message (a password, or text that may
 * hold one).
 */
function decode(raw: string, part: string, shown = true): string {
  const quoted = shown ? ` "${raw}"` : '';
  if (/%(?![0-9a-fA-F]{2})/.test(raw)) {
    throw new ConnectionStringError(
      part,
      `The ${part}${quoted} has a "%" that is not followed by two hex digits (libpq refuses it). Fix: percent-encode it (write "%" as %25), e.g. with encodeURIComponent().`,
    );
  }
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch (error) {
    throw new ConnectionStringError(
      part,
      `The ${part}${quoted} holds percent-encoded bytes that are not UTF-8 (libpq would pass the raw bytes on; pg-connect works with text). Fix: percent-encode the UTF-8 text, e.g. with encodeURIComponent().`,
      { cause: error },
    );
  }
  if (value.includes('\0')) {
    throw new ConnectionStringError(
      part,
      `The ${part}${quoted} contains %00, a NUL byte, which libpq refuses. Fix: remove it.`,
    );
  }
  return value;
}

/** True for text that starts like a postgres URL, whatever the case and leading blanks (parseUrl then says what is wrong). */
export function isPostgresUrl(input: string): boolean {
  return /^\s*postgres(?:ql)?:\/\//i.test(input);
}

function schemeLength(text: string): number {
  if (text.includes('\0')) {
    throw new ConnectionStringError(
      'input',
      'The connection string contains a NUL character, which libpq cannot receive. Fix: remove it.',
    );
  }
  if (/^\s/.test(text)) {
    throw new ConnectionStringError(
      'input',
      'The URL starts with whitespace: libpq (psql, pg_dump) then does not see a URL and refuses the string. Fix: remove the leading whitespace.',
    );
  }
  const lower = LOWER_SCHEME.exec(text);
  if (lower) return lower[0].length;
  const found = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1];
  if (found && /^postgres(?:ql)?$/i.test(found)) {
    throw new ConnectionStringError(
      'scheme',
      `The scheme "${found}://" is not lowercase: libpq (psql, pg_dump) recognizes only postgresql:// and postgres://. Fix: write postgresql://.`,
    );
  }
  throw new ConnectionStringError(
    'scheme',
    `${found ? `The scheme "${found}:" is not a Postgres URL scheme` : 'The input has no URL scheme'}. Fix: start with postgresql:// (or postgres://).`,
  );
}

interface Split {
  userinfo: string | undefined;
  rest: string;
  /** An "@" follows the credentials (or stands where none were found): host, port and path may hold a password. */
  risky: boolean;
}

/**
 * libpq's split: the credentials end at the first "@" that comes before any "/". An unencoded
 * "@" in the password is tolerated: the credentials run to the last "@" before the host's "/"
 * or "?" (libpq would take the rest as the host; a parse note says so).
 */
function splitUserinfo(body: string): Split {
  const first = body.search(/[@/]/);
  if (first < 0 || body[first] !== '@') {
    return { userinfo: undefined, rest: body, risky: body.includes('@') };
  }
  const after = body.slice(first + 1);
  const stop = after.search(/[/?]/);
  const extra = (stop >= 0 ? after.slice(0, stop) : after).lastIndexOf('@');
  const at = extra >= 0 ? first + 1 + extra : first;
  const rest = body.slice(at + 1);
  return { userinfo: body.slice(0, at), rest, risky: rest.includes('@') };
}

function passwordNote(raw: string): ParseNote | undefined {
  const chars = [...new Set(raw.match(/[@?# ]/g) ?? [])];
  if (!chars.length) return undefined;
  const at = chars.includes('@')
    ? ' It is read here up to the last "@", but libpq, psql and compose split at the first one and take the rest as the host.'
    : '';
  const others = chars.some((c) => c !== '@')
    ? ' libpq reads ?, # and spaces as part of the password, but parsers built on WHATWG URL (new URL() and the tools using it) end the password there.'
    : '';
  return {
    code: 'PASSWORD_UNENCODED_CHARS',
    message: `The password contains unencoded ${chars.map((c) => (c === ' ' ? 'spaces' : c)).join(' ')}.${at}${others}`,
    fix: 'Percent-encode the password (@ → %40, ? → %3F, # → %23, space → %20), e.g. render the target with renderUrl().',
  };
}

function readCredentials(userinfo: string, draft: CoreDraft, notes: ParseNote[]): void {
  const colon = userinfo.indexOf(':');
  const rawUser = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
  if (rawUser.includes('@')) {
    throw new ConnectionStringError(
      'user',
      'The user name contains "@". Fix: percent-encode special characters in the user (encodeURIComponent).',
    );
  }
  if (rawUser) draft.user = decode(rawUser, 'user');
  if (colon < 0) return;
  const rawPassword = userinfo.slice(colon + 1);
  const note = passwordNote(rawPassword);
  if (note) notes.push(note);
  draft.password = decode(rawPassword, 'password', false);
}

const RISK_HINT =
  ' If this is user:password@host with a "/" in the password, percent-encode it as %2F.';

function portOf(raw: string, hint: string): number {
  try {
    return parsePort(raw, 'port', false);
  } catch (error) {
    if (!hint || !ConnectionStringError.isInstance(error)) throw error;
    throw new ConnectionStringError('port', `${error.message}${hint}`, { cause: error });
  }
}

/** Reads `host[:port]` (or `[ipv6][:port]`); returns what follows (path and query). */
function readHostPort(rest: string, risky: boolean, draft: CoreDraft): string {
  const hint = risky ? RISK_HINT : '';
  const show = (text: string) => (risky ? '' : ` "${text}"`);
  let i: number;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) {
      throw new ConnectionStringError(
        'host',
        `The IPv6 host${show(rest)} has no closing "]". Fix: write it as [2001:db8::1]:5432.${hint}`,
      );
    }
    if (close === 1) {
      throw new ConnectionStringError(
        'host',
        'The IPv6 host "[]" is empty. Fix: write the address inside the brackets.',
      );
    }
    draft.host = decode(rest.slice(1, close), 'host', !risky);
    i = close + 1;
    const next = rest[i];
    if (next !== undefined && !':/?,'.includes(next)) {
      throw new ConnectionStringError(
        'host',
        `Unexpected${show(next)} after the IPv6 host. Fix: write [address]:port.${hint}`,
      );
    }
  } else {
    const end = rest.search(/[:/?,]/);
    i = end < 0 ? rest.length : end;
    const rawHost = rest.slice(0, i);
    if (rawHost) draft.host = decode(rawHost, 'host', !risky);
  }
  if (rest[i] === ':') {
    const end = rest.slice(i + 1).search(/[/?,]/);
    const stop = end < 0 ? rest.length : i + 1 + end;
    const rawPort = rest.slice(i + 1, stop);
    if (rawPort.includes(':')) {
      throw new ConnectionStringError(
        'host',
        `The host${show(rest.slice(0, stop))} looks like an IPv6 address without brackets. Fix: write [address] and add :port after the bracket.${hint}`,
      );
    }
    const port = decode(rawPort, 'port', !risky);
    if (port !== '') draft.port = portOf(port, hint);
    i = stop;
  }
  if (rest[i] === ',') {
    throw new ConnectionStringError(
      'host',
      'Several hosts are not supported (libpq would try them in turn). Fix: give one host; use one target per server.',
    );
  }
  return rest.slice(i);
}

function unknownParameter(key: string): ConnectionStringError {
  const closest = closestKeyword(key);
  return new ConnectionStringError(
    `parameter ${key}`,
    `"${key}" is not a libpq connection parameter: libpq (psql, pg_dump) refuses the URL ("invalid URI query parameter"). Fix: ${closest ? `did you mean ${closest}? Otherwise ` : ''}use libpq parameters such as sslmode, sslrootcert, application_name, options or connect_timeout.`,
  );
}

/** Reads `key=value&...` as libpq does: exactly one raw "=" per pair, no empty pairs. */
function readQuery(
  query: string,
  draft: CoreDraft,
  params: Record<string, string>,
  notes: ParseNote[],
): void {
  if (query === '') return;
  const pairs = query.split('&');
  // libpq stops at the end of the string, so one trailing "&" is harmless
  if (pairs.length > 1 && pairs.at(-1) === '') pairs.pop();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const rawKey = eq >= 0 ? pair.slice(0, eq) : pair;
    if (eq < 0) {
      const named = /password/i.test(rawKey) ? 'password' : rawKey;
      throw new ConnectionStringError(
        'parameters',
        `The query parameter "${named}" has no value (libpq refuses it). Fix: write name=value pairs joined by single &.`,
      );
    }
    const key = decode(rawKey, 'parameter name');
    if (pair.includes('=', eq + 1)) {
      throw new ConnectionStringError(
        `parameter ${key}`,
        `The value of ${key} contains a raw "=" (libpq refuses it). Fix: percent-encode it as %3D.`,
      );
    }
    const value = decode(pair.slice(eq + 1), `parameter ${key}`, !SECRET_KEYS.has(key));
    if (key === 'ssl') {
      if (value !== 'true') {
        throw new ConnectionStringError(
          'parameter ssl',
          `libpq reads ssl only as ssl=true (its spelling of sslmode=require) and refuses ssl=${value}. Fix: write sslmode=require, verify-full or disable.`,
        );
      }
      params.sslmode = 'require';
    } else if (Object.hasOwn(CLIENT_ONLY_PARAMS, key)) {
      params[key] = value;
      noteClientOnly(key, notes);
    } else if (!LIBPQ_KEYS.has(key)) {
      throw unknownParameter(key);
    } else if (!applyCoreKey(draft, key, value, params, `parameter ${key}`)) {
      params[key] = value;
    }
  }
}

function trailingNote(text: string): ParseNote | undefined {
  if (!/[ \t\n\v\f\r]$/.test(text)) return undefined;
  return {
    code: 'TRAILING_WHITESPACE',
    message:
      'The URL ends in whitespace, which libpq keeps as part of its last component (the database name or the last parameter value), as pg-connect does.',
    fix: 'Trim the value (a newline from a file or a heredoc is the usual cause).',
  };
}

/**
 * Parses `postgresql://` / `postgres://` URLs by libpq's rules: lowercase scheme, credentials
 * up to the first "@" before any "/" (raw ?, # and spaces in the password are fine), a database
 * path that may contain "/", query parameters libpq knows (`ssl=true` and `requiressl` mean
 * sslmode=require), `%00` refused, no trimming. Errors never quote the password.
 */
export function parseUrl(input: string, defaults: ParseDefaults = {}): CoreFields {
  const body = input.slice(schemeLength(input));
  const notes: ParseNote[] = [];
  const draft: CoreDraft = {
    host: undefined,
    port: undefined,
    user: undefined,
    password: undefined,
    database: undefined,
  };
  const params: Record<string, string> = {};
  const { userinfo, rest, risky } = splitUserinfo(body);
  if (userinfo !== undefined) readCredentials(userinfo, draft, notes);
  const tail = readHostPort(rest, risky, draft);
  let query: string | undefined;
  if (tail.startsWith('/')) {
    const q = tail.indexOf('?');
    const rawDb = q >= 0 ? tail.slice(1, q) : tail.slice(1);
    if (rawDb) draft.database = decode(rawDb, 'database', !risky);
    if (q >= 0) query = tail.slice(q + 1);
  } else if (tail.startsWith('?')) {
    query = tail.slice(1);
  }
  if (query !== undefined) readQuery(query, draft, params, notes);
  normalizeSslmode(params, notes);
  checkParams(params);
  const trailing = trailingNote(input);
  if (trailing) notes.push(trailing);
  return finishCore('url', draft, params, notes, defaults);
}
