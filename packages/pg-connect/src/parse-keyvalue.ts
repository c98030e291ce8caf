import { ConnectionStringError } from './errors.js';
import { finishCore, type ParseDefaults } from './libpq-defaults.js';
import { applyCoreKey, type CoreDraft, closestKeyword, LIBPQ_KEYS } from './libpq-keys.js';
import { checkParams } from './libpq-values.js';
import type { CoreFields } from './target.js';

const KEY_START = /^\s*[a-z_][a-z0-9_]*\s*=/i;
// C isspace(): what libpq skips between pairs
const SPACE = /[ \t\n\v\f\r]/;
const SECRET_KEYS = new Set(['password', 'sslpassword']);

/** True when the input looks like libpq `key=value` pairs. */
export function isKeyValue(input: string): boolean {
  return KEY_START.test(input) && /^\s*[a-z]/.test(input);
}

export interface KeyValuePair {
  key: string;
  value: string;
  /** The value was written in single quotes. */
  quoted: boolean;
}

/** After an unquoted password, a stray word is most likely the rest of a password with a space. */
function afterBarePassword(pairs: KeyValuePair[]): boolean {
  const last = pairs.at(-1);
  return last !== undefined && SECRET_KEYS.has(last.key) && !last.quoted;
}

function strayWord(pairs: KeyValuePair[], word: string, what: string): ConnectionStringError {
  if (afterBarePassword(pairs)) {
    return new ConnectionStringError(
      'password',
      `The ${pairs.at(-1)!.key} value is followed by text that is ${what}: the password probably contains a space. Fix: quote it, password='...' (escape ' and \\ inside with \\).`,
    );
  }
  return new ConnectionStringError(
    'key',
    `Expected key=value at "${word}". Fix: write pairs like host=db port=5432 user=postgres (quote values with spaces: password='a b').`,
  );
}

/** Splits libpq `key=value` text into pairs as libpq's conninfo_parse does (quotes, backslash escapes). */
export function tokenizeKeyValue(input: string): KeyValuePair[] {
  if (input.includes('\0')) {
    throw new ConnectionStringError(
      'input',
      'The connection string contains a NUL character, which libpq cannot receive. Fix: remove it.',
    );
  }
  const pairs: KeyValuePair[] = [];
  let i = 0;
  const n = input.length;
  const skipSpace = () => {
    while (i < n && SPACE.test(input[i]!)) i++;
  };
  while (true) {
    skipSpace();
    if (i >= n) break;
    const keyStart = i;
    while (i < n && input[i] !== '=' && !SPACE.test(input[i]!)) i++;
    const key = input.slice(keyStart, i);
    skipSpace();
    if (input[i] !== '=') throw strayWord(pairs, key, 'not key=value');
    if (!key) {
      throw new ConnectionStringError(
        'key',
        'A "=" has no keyword before it. Fix: write pairs like host=db port=5432 user=postgres.',
      );
    }
    i++;
    skipSpace();
    let value = '';
    const quoted = input[i] === "'";
    if (quoted) {
      i++;
      let closed = false;
      while (i < n) {
        const ch = input[i]!;
        if (ch === '\\') {
          if (i + 1 < n) value += input[i + 1];
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
          SECRET_KEYS.has(key) ? 'password' : `value of ${key}`,
          `The quoted value of "${key}" has no closing quote. Fix: end it with ' and escape quotes inside as \\'.`,
        );
      }
    } else {
      while (i < n && !SPACE.test(input[i]!)) {
        // a backslash escapes the next character; one at the very end is dropped, as in libpq
        if (input[i] === '\\') i++;
        if (i < n) value += input[i];
        i++;
      }
    }
    pairs.push({ key, value, quoted });
  }
  return pairs;
}

/** Parses a libpq key=value connection string: libpq's keywords only, libpq's defaults. */
export function parseKeyValue(input: string, defaults: ParseDefaults = {}): CoreFields {
  const pairs = tokenizeKeyValue(input);
  const draft: CoreDraft = {
    host: undefined,
    port: undefined,
    user: undefined,
    password: undefined,
    database: undefined,
  };
  const params: Record<string, string> = {};
  for (const [index, { key, value }] of pairs.entries()) {
    if (!LIBPQ_KEYS.has(key)) {
      const before = pairs.slice(0, index);
      if (afterBarePassword(before)) throw strayWord(before, key, 'no libpq keyword');
      const closest = closestKeyword(key);
      throw new ConnectionStringError(
        `key ${key}`,
        `"${key}" is not a libpq connection keyword (libpq refuses the string: "invalid connection option"). Fix: ${closest ? `did you mean ${closest}? Otherwise ` : ''}use host, port, user, password, dbname, sslmode, sslrootcert, application_name, options or connect_timeout.`,
      );
    }
    if (!applyCoreKey(draft, key, value, params)) params[key] = value;
  }
  checkParams(params);
  return finishCore('keyvalue', draft, params, [], defaults);
}
