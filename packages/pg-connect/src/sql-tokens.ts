/**
 * A token of SQL text as far as finding object names needs: words (unquoted identifiers and
 * keywords, folded to lower case as Postgres does), quoted identifiers (exact), the
 * punctuation that shapes names and lists, and everything else (strings, numbers, operators,
 * dollar-quoted bodies, parameters) as `other`, so names inside them are never read.
 */
export type SqlToken =
  | { kind: 'word'; value: string }
  | { kind: 'ident'; value: string }
  | { kind: 'punct'; value: '.' | ',' | '(' | ')' }
  | { kind: 'other' };

/** One statement: its trimmed text (for EXPLAIN) and its tokens (without the final `;`). */
export interface TokenizedStatement {
  text: string;
  tokens: SqlToken[];
}

const isIdentChar = (c: string | undefined): boolean =>
  c !== undefined && /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
const isIdentStart = (c: string | undefined): boolean =>
  c !== undefined && /[A-Za-z_\u0080-\uffff]/.test(c);
const OTHER: SqlToken = { kind: 'other' };

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
    if (/\s/.test(c)) {
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
    prevWord = isIdentStart(c) ? prevWord : '';
    if (c === "'") {
      i = skipString(sql, i, false);
      tokens.push(OTHER);
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
    if (c === '$' && !isIdentChar(sql[i - 1])) {
      let j = i + 1;
      if (isIdentStart(sql[j])) while (j < n && /[A-Za-z0-9_]/.test(sql[j]!)) j++;
      if (sql[j] === '$') {
        const tag = sql.slice(i, j + 1);
        const close = sql.indexOf(tag, j + 1);
        i = close === -1 ? n : close + tag.length;
        tokens.push(OTHER);
        continue;
      }
      // $1: a parameter
      j = i + 1;
      while (j < n && /[0-9]/.test(sql[j]!)) j++;
      i = Math.max(j, i + 1);
      tokens.push(OTHER);
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(sql[j])) j++;
      // E'…' (backslash escapes) and the other prefixed literals: B'…', X'…', U&'…', N'…'
      const prefix = sql.slice(i, j).toLowerCase();
      if (sql[j] === "'" && ['e', 'b', 'x', 'n'].includes(prefix)) {
        i = skipString(sql, j, prefix === 'e');
        tokens.push(OTHER);
        continue;
      }
      if (prefix === 'u' && sql[j] === '&' && sql[j + 1] === "'") {
        i = skipString(sql, j + 1, false);
        tokens.push(OTHER);
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
      else tokens.push(OTHER);
      i++;
      continue;
    }
    if (c === '.' || c === ',' || c === '(' || c === ')') {
      // a dot inside a number (1.5) is not a name separator
      if (c === '.' && /[0-9]/.test(next ?? '') && !isIdentChar(sql[i - 1])) {
        i++;
        continue;
      }
      if (c === '(') parenDepth++;
      else if (c === ')') parenDepth = Math.max(0, parenDepth - 1);
      tokens.push({ kind: 'punct', value: c });
      i++;
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(sql[j]!)) j++;
      tokens.push(OTHER);
      i = j;
      continue;
    }
    tokens.push(OTHER);
    i++;
  }
  push(n);
  return out;
}
