// A deliberately small parser: enough to find, insert and mask the password of a PostgreSQL
// connection string (URL or key=value form). Full parsing is @supaops/pg-connect's job.

const URL_FORM = /^(postgres(?:ql)?:\/\/)([^@/?#]*@)?([^?#]*)(\?[^#]*)?(#.*)?$/i;
const KV_PASSWORD = /(^|\s)password\s*=\s*('(?:[^'\\]|\\.)*'|\S*)/i;
const QUERY_PASSWORD = /([?&]password=)([^&#]*)/i;

export type ConnectionStringForm = 'url' | 'keyvalue';

export function connectionStringForm(value: string): ConnectionStringForm | null {
  if (URL_FORM.test(value)) return 'url';
  if (/^\s*[a-z_]+\s*=/i.test(value)) return 'keyvalue';
  return null;
}

/** The password a connection string carries, or undefined. */
export function connectionStringPassword(value: string): string | undefined {
  const url = URL_FORM.exec(value);
  if (url) {
    const userinfo = url[2]?.slice(0, -1);
    const colon = userinfo?.indexOf(':') ?? -1;
    if (userinfo && colon >= 0) return safeDecode(userinfo.slice(colon + 1));
    const query = url[4] ? QUERY_PASSWORD.exec(url[4]) : null;
    return query ? safeDecode(query[2] ?? '') : undefined;
  }
  const kv = KV_PASSWORD.exec(value);
  if (!kv) return undefined;
  const raw = kv[2] ?? '';
  return raw.startsWith("'") ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
}

/** Puts `password` into a connection string that has none. */
export function withPassword(value: string, password: string): string {
  const url = URL_FORM.exec(value);
  if (url) {
    const [, scheme, userinfo, rest, query = '', hash = ''] = url;
    const encoded = encodeURIComponent(password);
    if (userinfo) return `${scheme}${userinfo.slice(0, -1)}:${encoded}@${rest}${query}${hash}`;
    const joined = query ? `${query}&password=${encoded}` : `?password=${encoded}`;
    return `${scheme}${rest}${joined}${hash}`;
  }
  const quoted = password.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  return `${value.trimEnd()} password='${quoted}'`;
}

/** The connection string with its password (if any) as `***`. */
export function redactConnectionString(value: string): string {
  const url = URL_FORM.exec(value);
  if (url) {
    const [, scheme, userinfo, rest, query = '', hash = ''] = url;
    let info = userinfo ?? '';
    const colon = info.indexOf(':');
    if (colon >= 0) info = `${info.slice(0, colon)}:***@`;
    return `${scheme}${info}${rest}${query.replace(QUERY_PASSWORD, '$1***')}${hash}`;
  }
  return value.replace(KV_PASSWORD, '$1password=***');
}

// Inside free text (error messages, SQL, arguments): any scheme://user:password@ and password=...
// The lookbehind starts a scheme only at the beginning of a word: without it a long run of
// letters is rescanned from every position (quadratic time).
const EMBEDDED_URL_PASSWORD = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@]*:)([^\s@/]+)(@)/gi;
const EMBEDDED_KV_PASSWORD = /(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)/gi;

export function redactEmbeddedPasswords(text: string): string {
  let out = text;
  if (out.includes('://')) out = out.replace(EMBEDDED_URL_PASSWORD, '$1***$3');
  if (/password/i.test(out)) out = out.replace(EMBEDDED_KV_PASSWORD, '$1***');
  return out;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
