import { z } from 'zod';
import { MigratorValidationError } from './errors.js';

/** One statement of a migration file and where its trimmed text starts in the file. */
export interface SplitStatement {
  text: string;
  /** 0-based offset of `text` in the source. */
  start: number;
}

// PostgreSQL's lexer (scan.l) counts every byte >= 0x80 as an identifier / dollar-tag
// character, so `ä$$` is one name and `$ä$` opens a dollar quote, as psql lexes them.
const isIdentChar = (c: string | undefined): boolean =>
  c !== undefined && (/[A-Za-z0-9_$]/.test(c) || c.charCodeAt(0) >= 0x80);
const isIdentStart = (c: string | undefined): boolean =>
  c !== undefined && (/[A-Za-z_]/.test(c) || c.charCodeAt(0) >= 0x80);
const isTagChar = (c: string | undefined): boolean =>
  c !== undefined && (/[A-Za-z0-9_]/.test(c) || c.charCodeAt(0) >= 0x80);

/** Trims like the Supabase CLI's SplitAndTrim: trailing `;` first, then white space. */
function trimToken(source: string, from: number, to: number): SplitStatement | undefined {
  let end = to;
  while (end > from && source[end - 1] === ';') end--;
  let start = from;
  while (start < end && /\s/.test(source[start] as string)) start++;
  while (end > start && /\s/.test(source[end - 1] as string)) end--;
  if (end <= start) return undefined;
  return { text: source.slice(start, end), start };
}

/**
 * Splits SQL into statements where psql ends them: at a `;` outside parentheses and outside a
 * SQL-standard `BEGIN ATOMIC … END` body (psqlscan.l's paren_depth / begin_depth), so
 * `CREATE RULE … DO ALSO (a; b)` stays one statement. Each statement is trimmed the way the
 * Supabase CLI stores it in `schema_migrations.statements`: it keeps its comments, loses its
 * trailing `;` and surrounding white space; empty statements are dropped. Understands '…'
 * strings with '' escapes, E'…' strings with backslash escapes, "…" identifiers, $tag$…$tag$
 * bodies, and -- and nested /* *\/ comments.
 */
export function splitStatementsWithOffsets(sql: string): SplitStatement[] {
  const out: SplitStatement[] = [];
  const n = sql.length;
  let tokenStart = 0;
  let i = 0;
  // words seen at top level, to find BEGIN ATOMIC … END bodies
  let prevWord = '';
  let atomicDepth = 0;
  // psql keeps every `;` inside parentheses, at any depth; a stray `)` never goes below 0
  let parenDepth = 0;

  const push = (end: number) => {
    const token = trimToken(sql, tokenStart, end);
    if (token) out.push(token);
    tokenStart = end;
  };

  while (i < n) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const eol = sql.indexOf('\n', i + 2);
      i = eol === -1 ? n : eol + 1;
      continue;
    }
    if (c === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
      continue;
    }
    if (c === "'") {
      const escapes = (sql[i - 1] === 'E' || sql[i - 1] === 'e') && !isIdentChar(sql[i - 2]);
      i++;
      while (i < n) {
        const ch = sql[i];
        if (escapes && ch === '\\') {
          i += 2;
        } else if (ch === "'") {
          if (sql[i + 1] === "'") i += 2;
          else {
            i++;
            break;
          }
        } else i++;
      }
      prevWord = '';
      continue;
    }
    if (c === '"') {
      i++;
      while (i < n) {
        if (sql[i] === '"') {
          if (sql[i + 1] === '"') i += 2;
          else {
            i++;
            break;
          }
        } else i++;
      }
      prevWord = '';
      continue;
    }
    if (c === '$' && !isIdentChar(sql[i - 1])) {
      let j = i + 1;
      if (isIdentStart(sql[j])) {
        while (j < n && isTagChar(sql[j])) j++;
      }
      if (sql[j] === '$') {
        const tag = sql.slice(i, j + 1);
        const close = sql.indexOf(tag, j + 1);
        i = close === -1 ? n : close + tag.length;
        prevWord = '';
        continue;
      }
      i++;
      continue;
    }
    if (isIdentStart(c) && !isIdentChar(sql[i - 1])) {
      let j = i + 1;
      while (j < n && isIdentChar(sql[j])) j++;
      // E'…' : let the quote branch see the E right before it
      if (j === i + 1 && (c === 'E' || c === 'e') && sql[j] === "'") {
        i = j;
        continue;
      }
      const word = sql.slice(i, j).toUpperCase();
      if (atomicDepth > 0) {
        if (word === 'CASE') atomicDepth++;
        else if (word === 'END') atomicDepth--;
      } else if (word === 'ATOMIC' && prevWord === 'BEGIN') {
        atomicDepth = 1;
      }
      prevWord = word;
      i = j;
      continue;
    }
    if (c === ';') {
      if (atomicDepth === 0 && parenDepth === 0) push(i + 1);
      prevWord = '';
      i++;
      continue;
    }
    if (c === '(') parenDepth++;
    else if (c === ')' && parenDepth > 0) parenDepth--;
    if (!/\s/.test(c)) prevWord = '';
    i++;
  }
  push(n);
  return out;
}

/** The statements of a SQL text, as the Supabase CLI stores them (see {@link splitStatementsWithOffsets}). */
export function splitStatements(sql: string): string[] {
  const parsed = z.string().safeParse(sql);
  if (!parsed.success) {
    throw new MigratorValidationError('splitStatements(sql)', ['sql must be a string']);
  }
  return splitStatementsWithOffsets(parsed.data).map((s) => s.text);
}
