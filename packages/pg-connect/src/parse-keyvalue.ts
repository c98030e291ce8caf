import { ConnectionStringError } from './errors.js';
import { applyCoreKey, type CoreDraft, checkParams, LIBPQ_KEYS } from './libpq-keys.js';
import type { ParseDefaults } from './parse-url.js';
import { type CoreFields, DEFAULT_PORT } from './target.js';

const KEY_START = /^\s*[a-z_][a-z0-9_]*\s*=/i;

/** True when the input looks like libpq `key=value` pairs. */
export function isKeyValue(input: string): boolean {
  return KEY_START.test(input) && /^\s*[a-z]/.test(input);
}

/** Splits libpq `key=value` text into pairs, honouring single quotes and backslash escapes. */
export function tokenizeKeyValue(input: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let i = 0;
  const n = input.length;
  const skipSpace = () => {
    while (i < n && /\s/.test(input[i]!)) i++;
  };
  while (true) {
    skipSpace();
    if (i >= n) break;
    const keyStart = i;
    while (i < n && /[A-Za-z0-9_]/.test(input[i]!)) i++;
    const key = input.slice(keyStart, i);
    skipSpace();
    if (!key || input[i] !== '=') {
      const shown = input.slice(keyStart, Math.min(n, keyStart + 20)).split(/\s/)[0];
      throw new ConnectionStringError(
        'key',
        `Expected key=value at "${key || shown}". Fix: write pairs like host=db port=5432 user=postgres (quote values with spaces: password='a b').`,
      );
    }
    i++;
    skipSpace();
    let value = '';
    if (input[i] === "'") {
      i++;
      let closed = false;
      while (i < n) {
        const ch = input[i]!;
        if (ch === '\\' && i + 1 < n) {
          value += input[i + 1];
          i += 2;
        } else if (ch === "'") {
          closed = true;
          i++;
          break;
        } else {
          value += ch;
          i++;
        }
      }
      if (!closed) {
        throw new ConnectionStringError(
          key === 'password' ? 'password' : `value of ${key}`,
          `The quoted value of "${key}" has no closing quote. Fix: end it with ' and escape quotes inside as \\'.`,
        );
      }
    } else {
      while (i < n && !/\s/.test(input[i]!)) {
        const ch = input[i]!;
        if (ch === '\\' && i + 1 < n) {
          value += input[i + 1];
          i += 2;
        } else {
          value += ch;
          i++;
        }
      }
    }
    pairs.push([key, value]);
  }
  return pairs;
}

/** Parses a libpq key=value connection string. */
export function parseKeyValue(input: string, defaults: ParseDefaults = {}): CoreFields {
  const pairs = tokenizeKeyValue(input);
  const draft: CoreDraft = {
    host: defaults.host,
    port: defaults.port ?? DEFAULT_PORT,
    user: defaults.user,
    password: defaults.password,
    database: defaults.database,
  };
  const params: Record<string, string> = {};
  for (const [key, value] of pairs) {
    if (!LIBPQ_KEYS.has(key)) {
      throw new ConnectionStringError(
        `key ${key}`,
        `"${key}" is not a libpq connection keyword. Fix: use host, port, user, password, dbname, sslmode, sslrootcert, application_name, options or connect_timeout.`,
      );
    }
    if ((key === 'host' || key === 'hostaddr') && value.includes(',')) {
      throw new ConnectionStringError(
        'host',
        `Several hosts ("${value}") are not supported. Fix: give one host.`,
      );
    }
    if (!applyCoreKey(draft, key, value)) params[key] = value;
  }
  const { host, port, user, password, database } = draft;
  checkParams(params);
  if (!user) {
    throw new ConnectionStringError(
      'user',
      'No user= given. Fix: add user=postgres (user=postgres.<tenant> for the Supabase pooler).',
    );
  }
  return {
    source: 'keyvalue',
    host: host || 'localhost',
    port,
    user,
    password,
    database: database || 'postgres',
    params,
    notes: [],
  };
}
