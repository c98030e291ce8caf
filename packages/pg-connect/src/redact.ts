import { REDACTED } from './render.js';

const SECRET_ENV_KEY = /(PASSWORD|PASSWD|SECRET|TOKEN|_KEY|APIKEY|PASS)$/i;
const SCHEME = /postgres(?:ql)?:\/\//gi;

/**
 * Hides the password in what follows `scheme://`. The credentials end where the parser ends them
 * (the last "@" before the host's "/" or "?"), so raw ?, #, spaces and backslashes are hidden
 * too. A "/" before any "@" means no password to libpq, but it is also how an unencoded "/" in
 * one looks, so `user:…@` up to the next blank is hidden then as well.
 */
function redactCredentials(segment: string): string {
  const first = segment.search(/[@/]/);
  if (first >= 0 && segment[first] === '@') {
    const after = segment.slice(first + 1);
    const stop = after.search(/[/?]/);
    const extra = (stop >= 0 ? after.slice(0, stop) : after).lastIndexOf('@');
    const at = extra >= 0 ? first + 1 + extra : first;
    const colon = segment.slice(0, at).indexOf(':');
    return colon < 0 ? segment : `${segment.slice(0, colon + 1)}${REDACTED}${segment.slice(at)}`;
  }
  return segment.replace(/^([^:@/\s]*:)[^\s@]*@/, `$1${REDACTED}@`);
}

/** Each `postgres(ql)://` on the line, up to the next one. */
function redactUrls(line: string): string {
  const matches = [...line.matchAll(SCHEME)];
  if (!matches.length) return line;
  let out = line.slice(0, matches[0]!.index);
  for (const [n, m] of matches.entries()) {
    const start = m.index + m[0].length;
    const end = matches[n + 1]?.index ?? line.length;
    out += m[0] + redactCredentials(line.slice(start, end));
  }
  return out;
}

/** The scheme-less pooler form `postgres.<tenant>:password@host:6543` (any `role.tenant:…@host`). */
function redactSchemeless(line: string): string {
  return line.replace(
    /(^|[^\w.:/@%-])([A-Za-z_][\w$]*\.[\w-]+:)\S*@(?=\S)/g,
    (_m, lead: string, user: string) => `${lead}${user}${REDACTED}@`,
  );
}

/**
 * Hides every password in a connection string of any supported form (URL, key=value, .env
 * text, or garbage): URL credentials whatever characters they hold, the scheme-less pooler
 * form, `password=` / `sslpassword=` query parameters and key=value pairs (quoted, escaped or
 * bare with spaces), and secret .env lines. Never throws: a non-string gives `***`.
 */
export function redactConnectionString(input: string): string {
  try {
    if (typeof input !== 'string') return REDACTED;
    let text = input
      .split('\n')
      .map((line) => redactSchemeless(redactUrls(line)))
      .join('\n');
    // URL query parameters: libpq reads the value up to the next "&", whatever it holds
    text = text.replace(/([?&](?:ssl)?password=)[^&\n]*/gi, `$1${REDACTED}`);
    // key=value: quoted with \ escapes, or bare (then words up to the next key= on the line)
    text = text.replace(
      /(^|[\s])((?:ssl)?password)(\s*=\s*)(?:'(?:\\.|[^'\\])*'?|(?:\\.|[^\s\\])*\\?(?:[ \t]+(?![A-Za-z_]\w*\s*=)(?:\\.|[^\s\\])+\\?)*)/gi,
      (_m, lead: string, key: string, eq: string) => `${lead}${key}${eq}${REDACTED}`,
    );
    // .env lines: *_PASSWORD=..., *_SECRET=..., *_KEY=..., PGPASSWORD=...
    text = text.replace(
      /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)(.*)$/gm,
      (line, lead: string, key: string, eq: string) =>
        SECRET_ENV_KEY.test(key) ? `${lead}${key}${eq}${REDACTED}` : line,
    );
    return text;
  } catch {
    return REDACTED;
  }
}
