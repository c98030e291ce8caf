import type { SqlToken } from './sql-tokens.js';

export const isWord = (t: SqlToken | undefined, word?: string): boolean =>
  t?.kind === 'word' && (word === undefined || t.value === word);

export const isPunct = (t: SqlToken | undefined, value: string): boolean =>
  t?.kind === 'punct' && t.value === value;

/** Index of the `)` that closes the `(` at `open`; the last index when it is never closed. */
export function closingParen(tokens: SqlToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')') && --depth === 0) return i;
  }
  return tokens.length - 1;
}

/**
 * Index of the first token from `from` that is outside every parenthesis opened after `from`
 * and satisfies `test`; -1 when none does. Subqueries, argument lists and CTE bodies are
 * nested, so their keywords never match.
 */
export function findTopLevel(
  tokens: SqlToken[],
  test: (t: SqlToken, i: number) => boolean,
  from = 0,
): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth = Math.max(0, depth - 1);
    else if (depth === 0 && test(t, i)) return i;
  }
  return -1;
}

export const topLevelWord = (tokens: SqlToken[], word: string, from = 0): number =>
  findTopLevel(tokens, (t) => isWord(t, word), from);

/** The top-level comma-separated parts of tokens[from, to), as [start, end) pairs. */
export function splitTopLevel(
  tokens: SqlToken[],
  from = 0,
  to = tokens.length,
): [number, number][] {
  const parts: [number, number][] = [];
  let start = from;
  let depth = 0;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth = Math.max(0, depth - 1);
    else if (depth === 0 && isPunct(t, ',')) {
      parts.push([start, i]);
      start = i + 1;
    }
  }
  parts.push([start, to]);
  return parts;
}

/** Strips parentheses that enclose the whole range: `((x))` → `x`. */
export function unwrapParens(tokens: SqlToken[]): SqlToken[] {
  if (!isPunct(tokens[0], '(')) return tokens;
  // match every parenthesis once, so deep nesting costs one pass
  const match = new Int32Array(tokens.length).fill(-1);
  const open: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) open.push(i);
    else if (isPunct(tokens[i], ')') && open.length > 0) match[open.pop()!] = i;
  }
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo < hi && match[lo] === hi) {
    lo++;
    hi--;
  }
  return lo === 0 ? tokens : tokens.slice(lo, hi + 1);
}

/** `true`, `(TRUE)`, `1=1`, `(1 = 1)`: a condition that is literally always true. */
export function isAlwaysTrue(condition: SqlToken[]): boolean {
  const c = unwrapParens(condition);
  if (c.length === 1) return isWord(c[0], 'true');
  if (c.length !== 3) return false;
  const [a, op, b] = c as [SqlToken, SqlToken, SqlToken];
  return (
    a.kind === 'other' &&
    a.value === '1' &&
    op.kind === 'other' &&
    op.value === '=' &&
    b.kind === 'other' &&
    b.value === '1'
  );
}

const quoteName = (name: string): string =>
  /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;

/** A name as written (`public.users`, `"My Table"`), for reasons shown to people. */
export const nameText = (parts: string[]): string => parts.map(quoteName).join('.');

// keywords that show up in reasons, upper-cased there so the names around them stand out
const KEYWORDS = new Set(
  (
    'all and attribute by cascade column constraint default delete disable drop exists false for ' +
    'from if in level mapping matched not null on only or owned publication restrict row schema ' +
    'security table tables then to true update user when where'
  ).split(' '),
);

const pieceOf = (t: SqlToken): string =>
  t.kind === 'ident'
    ? quoteName(t.value)
    : t.kind === 'word' && KEYWORDS.has(t.value)
      ? t.value.toUpperCase()
      : t.value;

/** Tokens back to short text (`1 = 1`, `f(x)`), for reasons; literals are kept as written. */
export function tokensText(tokens: SqlToken[], max = 60): string {
  let out = '';
  let prev: SqlToken | undefined;
  for (const t of tokens) {
    const piece = pieceOf(t);
    const tight =
      prev === undefined ||
      isPunct(t, '.') ||
      isPunct(t, ',') ||
      isPunct(t, ')') ||
      isPunct(prev, '.') ||
      isPunct(prev, '(') ||
      (isPunct(t, '(') && prev.kind !== 'other');
    out += (tight ? '' : ' ') + piece;
    if (out.length > max) return `${out.slice(0, max - 1)}…`;
    prev = t;
  }
  return out;
}
