import { GatewayEnvError } from './errors.js';

// The .env parser of docker compose (compose-spec/compose-go dotenv/parser.go and template),
// ported so that the services here see each value exactly as the containers would: unquoted
// values lose inline ` #` comments and trailing whitespace, single quotes are literal, double
// quotes take escapes, `$VAR`/`${VAR:-x}` interpolate earlier keys. Nothing else is trimmed.

const SPACE = new Set(['\t', '\v', '\f', '\r', ' ', '\u0085', '\u00a0']);
const isSpace = (c: string | undefined): boolean => c !== undefined && SPACE.has(c);
const isAnySpace = (c: string | undefined): boolean => c !== undefined && /\s/u.test(c);
const KEY_CHAR = /[\p{L}\p{N}_.\-[\]]/u;

/** Parses .env text as `docker compose` does; throws GatewayEnvError where compose refuses it. */
export function parseEnvText(src: string): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  const lineAt = (at: number): number => src.slice(0, at).split('\n').length;

  while (pos < src.length) {
    while (pos < src.length && isAnySpace(src[pos])) pos++;
    if (pos >= src.length) break;
    if (src[pos] === '#') {
      const nl = src.indexOf('\n', pos);
      if (nl === -1) break;
      pos = nl;
      continue;
    }
    const exported = /^export\s+/.exec(src.slice(pos));
    if (exported) {
      pos += 'export'.length;
      while (isSpace(src[pos])) pos++;
    }
    const keyStart = pos;
    let sep = '';
    for (; pos < src.length; pos++) {
      const c = src[pos] as string;
      if (isSpace(c)) continue;
      if (c === '=' || c === ':' || c === '\n') {
        sep = c;
        break;
      }
      if (!KEY_CHAR.test(c)) {
        const first = src.slice(keyStart).split('\n')[0];
        throw new GatewayEnvError(
          lineAt(pos),
          `unexpected character "${c}" in variable name "${first}"`,
        );
      }
    }
    const key = src.slice(keyStart, pos).replace(/\s+$/u, '');
    if (sep === '' || sep === '\n') {
      // a bare name inherits from the shell, which the simulator does not have
      pos++;
      continue;
    }
    if (key === '') {
      // compose would store an empty name; no service reads it, so skip the value
      const nl = src.indexOf('\n', pos);
      pos = nl === -1 ? src.length : nl;
      continue;
    }
    if (key.includes(' '))
      throw new GatewayEnvError(lineAt(keyStart), 'key cannot contain a space');
    pos++;
    while (isSpace(src[pos])) pos++;
    const quote = src[pos];
    if (quote !== '"' && quote !== "'") {
      const nl = src.indexOf('\n', pos);
      const end = nl === -1 ? src.length : nl;
      let value = src.slice(pos, end);
      const comment = value.indexOf(' #');
      if (comment !== -1) value = value.slice(0, comment);
      value = value.replace(/\s+$/u, '');
      out[key] = substitute(value, out, lineAt(pos));
      pos = end;
      continue;
    }
    const start = pos;
    let chars = '';
    let escaped = false;
    let closed = false;
    for (pos = pos + 1; pos < src.length; pos++) {
      const c = src[pos] as string;
      if (c !== quote) {
        if (!escaped && c === '\\') {
          escaped = true;
          continue;
        }
        if (escaped) {
          escaped = false;
          chars += '\\';
        }
        chars += c;
        continue;
      }
      if (escaped) {
        escaped = false;
        chars += c;
        continue;
      }
      closed = true;
      break;
    }
    if (!closed) {
      const nl = src.indexOf('\n', start);
      const shown = src.slice(start, nl === -1 ? src.length : nl);
      throw new GatewayEnvError(lineAt(start), `unterminated quoted value ${shown}`);
    }
    out[key] = quote === '"' ? substitute(expandEscapes(chars), out, lineAt(start)) : chars;
    pos++;
  }
  return out;
}

const ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '"': '"',
  '\\': '\\',
};

function expandEscapes(value: string): string {
  return value.replace(/\\(?:[abcfnrtv$"\\]|0\d{0,3})/g, (match) => {
    const c = match[1] as string;
    // `\$` becomes compose's `$$`, a literal dollar after interpolation
    if (c === '$') return '$$';
    if (c === '0') {
      // Go's UnquoteChar wants exactly three octal digits (`\0123` is read as `\123`)
      const digits = match.slice(2);
      if (!/^[0-7]{3}$/.test(digits)) return match;
      const code = Number.parseInt(digits, 8);
      return code <= 255 ? String.fromCharCode(code) : match;
    }
    // `\c` is in the pattern but is not a Go escape, so Go keeps it as written
    return ESCAPES[c] ?? match;
  });
}

const NAME = /^[_a-z][_a-z0-9]*/i;

/** compose's template substitution against the keys defined so far (no shell environment). */
function substitute(value: string, env: Record<string, string>, line: number): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = value[i + 1];
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    if (next === '{') {
      const close = matchingBrace(value, i + 1);
      if (close === -1) throw new GatewayEnvError(line, `Invalid template: "${value}"`);
      out += braced(value.slice(i + 2, close), env, line, value);
      i = close;
      continue;
    }
    const named = NAME.exec(value.slice(i + 1));
    if (!named) throw new GatewayEnvError(line, `Invalid template: "${value}"`);
    out += env[named[0]] ?? '';
    i += named[0].length;
  }
  return out;
}

function matchingBrace(value: string, open: number): number {
  let depth = 0;
  for (let i = open; i < value.length; i++) {
    if (value[i] === '{' && value[i - 1] === '$') depth++;
    else if (value[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function braced(inner: string, env: Record<string, string>, line: number, whole: string): string {
  const named = NAME.exec(inner);
  if (!named) throw new GatewayEnvError(line, `Invalid template: "${whole}"`);
  const name = named[0];
  const rest = inner.slice(name.length);
  const value = env[name];
  if (rest === '') return value ?? '';
  const op = /^(:?[-+?])/.exec(rest);
  if (!op) throw new GatewayEnvError(line, `Invalid template: "${whole}"`);
  const modifier = op[1] as string;
  const arg = () => substitute(rest.slice(modifier.length), env, line);
  const empty = modifier.startsWith(':') ? !value : value === undefined;
  switch (modifier.replace(':', '')) {
    case '-':
      return empty ? arg() : (value as string);
    case '+':
      return empty ? '' : arg();
    default:
      if (empty) {
        throw new GatewayEnvError(line, `required variable ${name} is missing a value: ${arg()}`);
      }
      return value as string;
  }
}
