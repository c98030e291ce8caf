// A failed authentication is logged without the password tried; these cover what a logged
// statement or connection string may carry (`password=…`, `PASSWORD '…'`, `user:pass@`).
const KEY_VALUE =
  /(password|passwd|pwd)(["']?\s*[=:]\s*)('(?:[^'\\]|\\.|'')*(?:'|$)|"(?:[^"\\]|\\.)*(?:"|$)|[^\s,;&)'"]+)/gi;
const SQL_LITERAL = /\b(password\s+)(E?'(?:[^'\\]|\\.|'')*(?:'|$))/gi;
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)[^@\s/]*@/gi;
/** Shorter values are not redacted literally: they would blank out ordinary words. */
const MIN_SECRET_LENGTH = 8;

/** The log text with password values, and the given secrets wherever they occur, as `***`. */
export function redactLogText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) out = out.replaceAll(secret, '***');
  }
  return out
    .replace(URL_USERINFO, '$1***@')
    .replace(SQL_LITERAL, "$1'***'")
    .replace(KEY_VALUE, '$1$2***');
}
