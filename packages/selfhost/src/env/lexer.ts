/*
 * The lexical pieces of compose-go's dotenv parser (dotenv/parser.go): what counts as space,
 * keys, the `export` prefix, the closing-quote scan and the escapes of double-quoted values.
 */

/** Whitespace compose skips around keys and values (never a line feed). */
const SPACE = /[\t\v\f\r \u0085\u00a0]/;
export const KEY_CHARS = /^[\p{L}\p{N}_.\-[\]\t\v\f\r \u0085\u00a0]*$/u;
export const EXPORT = /^export[\t\f\r ]+/;
export const TRAILING_SPACE = /[\s\u0085\u00a0]+$/u;
/** What may follow a closing quote on its line: space, then a comment running to the line feed. */
// `[^\n]` rather than `.`: a comment may hold \r (CRLF files), \u2028 or \u2029, as in compose
export const AFTER_QUOTE = /^[\t\v\f\r \u0085\u00a0]*(?:#[^\n]*)?$/;
const ESCAPE = /\\(?:[abcfnrtv$"\\]|0[0-7]{0,3})/g;
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
  // compose turns \$ into $$ before interpolating, i.e. a literal dollar
  $: '$$',
};

export function expandEscapes(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(ESCAPE, (match) => {
    const c = match.slice(1);
    if (c.startsWith('0')) {
      const digits = c.slice(1);
      return digits.length === 3 ? String.fromCharCode(Number.parseInt(digits, 8)) : `\\${digits}`;
    }
    return ESCAPES[c] ?? match;
  });
}

export function skipSpace(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && SPACE.test(text[i] as string)) i++;
  return i;
}

export interface QuotedScan {
  /** Index of the closing quote. */
  close: number;
  /** The characters between the quotes, escaped quotes resolved, other escapes kept. */
  chars: string;
}

/** compose-go's scan for the closing quote: `\<quote>` is a literal quote, may cross lines. */
export function scanQuoted(text: string, open: number): QuotedScan | undefined {
  const quote = text[open];
  let chars = '';
  let escaped = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i] as string;
    if (c !== quote) {
      if (!escaped && c === '\\') {
        escaped = true;
        continue;
      }
      if (escaped) chars += '\\';
      escaped = false;
      chars += c;
      continue;
    }
    if (escaped) {
      escaped = false;
      chars += c;
      continue;
    }
    return { close: i, chars };
  }
  return undefined;
}

export function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Where a line's content ends: before the `\r` of a CRLF terminator, so every pattern sees the
 * same content on a CRLF line as on the LF line (`lineEnd` is the `\n`, or the end of the text).
 */
export function contentEnd(text: string, start: number, lineEnd: number): number {
  return lineEnd > start && text[lineEnd] === '\n' && text[lineEnd - 1] === '\r'
    ? lineEnd - 1
    : lineEnd;
}

/** Where the next line starts, given where this line's content ends (see `contentEnd`). */
export function afterLine(text: string, end: number): number {
  if (text.startsWith('\r\n', end)) return end + 2;
  return end < text.length ? end + 1 : text.length;
}
