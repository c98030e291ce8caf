/**
 * A token of SQL text as far as finding object names and statement shapes needs: words
 * (unquoted identifiers and keywords, folded to lower case as Postgres does), quoted
 * identifiers (exact), the punctuation that shapes names and lists, and everything else
 * (strings, numbers, operator characters, dollar-quoted bodies, parameters) as `other` with
 * its source text, so names and keywords inside them are never read as such.
 */
export type SqlToken =
  | { kind: 'word'; value: string }
  | { kind: 'ident'; value: string }
  | { kind: 'punct'; value: '.' | ',' | '(' | ')' }
  | { kind: 'other'; value: string };

/** One statement: its trimmed text (for EXPLAIN) and its tokens (without the final `;`). */
export interface TokenizedStatement {
  text: string;
  tokens: SqlToken[];
}

// character classes by code, as the server's scanner has them (every code from 0x80 is a
// letter there); regular expressions per character made tokenizing twice as slow
const isDigitCode = (code: number): boolean => code >= 48 && code <= 57;
const isLetterCode = (code: number): boolean =>
  (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code >= 0x80;
/** Of `sql[i]`; false past either end (charCodeAt gives NaN there). */
const isIdentStart = (sql: string, i: number): boolean => isLetterCode(sql.charCodeAt(i));
const isIdentChar = (sql: string, i: number): boolean => {
  const code = sql.charCodeAt(i);
  return isLetterCode(code) || isDigitCode(code) || code === 36;
};
const isDigit = (sql: string, i: number): boolean => isDigitCode(sql.charCodeAt(i));
/** Space, \t, \n, \v, \f, \r: the server's whitespace; and a byte order mark, which psql drops. */
const isSpace = (sql: string, i: number): boolean => {
  const code = sql.charCodeAt(i);
  return code === 32 || (code >= 9 && code <= 13) || code === 0xfeff;
};
const other = (sql: string, from: number, to: number): SqlToken => ({
  kind: 'other',
  value: sql.slice(from, to),
});

/** End of a '…' string starting at `i` (the quote); backslash escapes when `escapes`. */
function skipString(sql: string, i: number, escapes: boolean): number {
  let j = i + 1;
  while (j < sql.length) {
    const ch = sql[j];
    if (escapes && ch === '\\') j += 2;
    else if (ch === "'") {
      if (sql[j + 1] !== "'") return j + 1;
      j += 2;
    } else j++;
  }
  return sql.length;
}

function skipBlockComment(sql: string, i: number): number {
  let depth = 1;
  let j = i + 2;
  while (j < sql.length && depth > 0) {
    if (sql[j] === '/' && sql[j + 1] === '*') {
      depth++;
      j += 2;
    } else if (sql[j] === '*' && sql[j + 1] === '/') {
      depth--;
      j += 2;
    } else j++;
  }
  return j;
}

/**
 * Splits SQL into statements at top-level semicolons and tokenizes each. Understands '…'
 * strings with '' escapes, E'…' strings with backslash escapes, "…" identifiers, $tag$…$tag$
 * bodies, -- and nested block comments; semicolons inside parentheses or `BEGIN ATOMIC … END`
 * function bodies do not end the statement.
 */
export function tokenizeStatements(sql: string): TokenizedStatement[] {
  const out: TokenizedStatement[] = [];
  const n = sql.length;
  let tokens: SqlToken[] = [];
  let start = 0;
  let prevWord = '';
  let atomicDepth = 0;
  // psql does not end a statement at a ; inside parentheses (CREATE RULE … DO ALSO (a; b))
  let parenDepth = 0;
  let i = 0;

  const push = (end: number): void => {
    const text = sql.slice(start, end).trim();
    if (tokens.length > 0) out.push({ text, tokens });
    tokens = [];
    start = end + 1;
  };

  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (isSpace(sql, i)) {
      i++;
      continue;
    }
    if (c === '-' && next === '-') {
      const eol = sql.indexOf('\n', i + 2);
      i = eol === -1 ? n : eol + 1;
      continue;
    }
    if (c === '/' && next === '*') {
      i = skipBlockComment(sql, i);
      continue;
    }
    prevWord = isIdentStart(sql, i) ? prevWord : '';
    if (c === "'") {
      const from = i;
      i = skipString(sql, i, false);
      tokens.push(other(sql, from, i));
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let value = '';
      while (j < n) {
        if (sql[j] === '"') {
          if (sql[j + 1] !== '"') break;
          value += '"';
          j += 2;
        } else value += sql[j++];
      }
      tokens.push({ kind: 'ident', value });
      i = j + 1;
      continue;
    }
    if (c === '$' && !isIdentChar(sql, i - 1)) {
      let j = i + 1;
      if (isIdentStart(sql, j)) while (j < n && isIdentChar(sql, j) && sql[j] !== '$') j++;
      if (sql[j] === '$') {
        const tag = sql.slice(i, j + 1);
        const close = sql.indexOf(tag, j + 1);
        const from = i;
        i = close === -1 ? n : close + tag.length;
        tokens.push(other(sql, from, i));
        continue;
      }
      // $1: a parameter
      j = i + 1;
      while (j < n && isDigit(sql, j)) j++;
      tokens.push(other(sql, i, j));
      i = j;
      continue;
    }
    if (isIdentStart(sql, i)) {
      let j = i + 1;
      while (j < n && isIdentChar(sql, j)) j++;
      // E'…' (backslash escapes) and the other prefixed literals: B'…', X'…', U&'…', N'…'
      const prefix = sql.slice(i, j).toLowerCase();
      if (sql[j] === "'" && ['e', 'b', 'x', 'n'].includes(prefix)) {
        const from = i;
        i = skipString(sql, j, prefix === 'e');
        tokens.push(other(sql, from, i));
        continue;
      }
      if (prefix === 'u' && sql[j] === '&' && sql[j + 1] === "'") {
        const from = i;
        i = skipString(sql, j + 1, false);
        tokens.push(other(sql, from, i));
        continue;
      }
      const word = prefix;
      if (atomicDepth > 0) {
        if (word === 'case') atomicDepth++;
        else if (word === 'end') atomicDepth--;
      } else if (word === 'atomic' && prevWord === 'begin') {
        atomicDepth = 1;
      }
      prevWord = word;
      tokens.push({ kind: 'word', value: word });
      i = j;
      continue;
    }
    if (c === ';') {
      if (atomicDepth === 0 && parenDepth === 0) push(i);
      else tokens.push(other(sql, i, i + 1));
      i++;
      continue;
    }
    if (c === '.' || c === ',' || c === '(' || c === ')') {
      // a dot inside a number (1.5) is not a name separator
      if (c === '.' && isDigit(sql, i + 1) && !isIdentChar(sql, i - 1)) {
        i++;
        continue;
      }
      if (c === '(') parenDepth++;
      else if (c === ')') parenDepth = Math.max(0, parenDepth - 1);
      tokens.push({ kind: 'punct', value: c });
      i++;
      continue;
    }
    if (isDigit(sql, i)) {
      let j = i + 1;
      while (j < n && ((isIdentChar(sql, j) && sql[j] !== '$') || sql[j] === '.')) j++;
      tokens.push(other(sql, i, j));
      i = j;
      continue;
    }
    tokens.push(other(sql, i, i + 1));
    i++;
  }
  push(n);
  return out;
}
