import { z } from 'zod';
import { parseInput } from '../errors.js';
import type { EnvDocument, EnvQuote } from './types.js';

const docSchema = z.object({ nodes: z.array(z.object({ raw: z.string() })) });

/** The text of a parsed document: exactly the input it was parsed from, edits applied. */
export function serializeEnv(doc: EnvDocument): string {
  const { nodes } = parseInput('serializeEnv', docSchema, doc);
  let out = '';
  for (const node of nodes) out += node.raw;
  return out;
}

/*
 * When a value needs quotes: anything docker compose or a common dotenv reader (npm dotenv,
 * Dokploy's UI) would read differently unquoted. `#` starts a comment for dotenv, ` #` for
 * compose; `$` interpolates; surrounding whitespace is trimmed; a leading quote opens a quoted
 * value; line breaks end it.
 */
const NEEDS_QUOTES = /^[\s"'`]|\s$|[#$\n\r]/;

/** Whether a value must be quoted to be read back unchanged. */
export function needsQuotes(value: string): boolean {
  return NEEDS_QUOTES.test(value);
}

function singleQuotable(value: string): boolean {
  // single quotes are literal, but \' is an escaped quote and a line break would split the
  // line for line-based readers
  return !/['\n\r]/.test(value) && !value.endsWith('\\');
}

function doubleQuoted(value: string): string {
  const body = value
    .replaceAll('\\', '\\\\')
    .replaceAll('"', '\\"')
    .replaceAll('$', '$$$$')
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r');
  return `"${body}"`;
}

/**
 * The value as written in env text: bare when that reads back unchanged, else single-quoted
 * (literal), else double-quoted with escapes. `prefer` keeps a quote style when it can hold
 * the value (an edit keeps the line's style).
 */
export function formatEnvValue(value: string, prefer: EnvQuote = 'none'): string {
  parseInput('formatEnvValue', z.string(), value);
  if (prefer === 'double') return doubleQuoted(value);
  if (prefer === 'single' && singleQuotable(value)) return `'${value}'`;
  if (!needsQuotes(value)) return value;
  return singleQuotable(value) ? `'${value}'` : doubleQuoted(value);
}

/*
 * Characters a POSIX shell reads specially in a bare word: quotes, expansion, globbing, brace
 * expansion (a JSON value like JWT_JWKS has braces and commas), word splitting, operators.
 */
const SHELL_SPECIAL = /[\s"'`$\\;&|<>()*?[\]{}#~!,=]/;

/**
 * The value as `formatEnvValue` writes it, single-quoted besides whenever a shell that sources
 * the file (`set -a; . ./.env`) would read the bare value differently. Single quotes are literal
 * for both compose and the shell; a value they cannot hold is double-quoted when nothing in it
 * expands, and keeps formatEnvValue's form otherwise.
 */
function shellSafeValue(value: string): string {
  const formatted = formatEnvValue(value);
  if (formatted !== value || !SHELL_SPECIAL.test(value)) return formatted;
  if (singleQuotable(value)) return `'${value}'`;
  // double quotes read alike in both when nothing inside them expands or escapes but `"`
  if (!/[$`\\\n\r]/.test(value)) return `"${value.replaceAll('"', '\\"')}"`;
  return formatted;
}

/** One `KEY=value` line (without terminator); `shellSafe` as in serializeEnvRecord. */
export function formatEnvLine(
  key: string,
  value: string,
  options?: { shellSafe?: boolean },
): string {
  return `${key}=${options?.shellSafe ? shellSafeValue(value) : formatEnvValue(value)}`;
}

const recordSchema = z.record(z.string(), z.string());
const serializeOptionsSchema = z
  .object({ eol: z.enum(['\n', '\r\n']).optional(), shellSafe: z.boolean().optional() })
  .strict()
  .optional();

/**
 * New env text from a record, one `KEY=value` line each, in insertion order. With `shellSafe`,
 * values a sourcing shell would change (JSON, spaces, globs) are single-quoted too, so the file
 * reads the same in docker compose and in `set -a; . ./.env`.
 */
export function serializeEnvRecord(
  record: Readonly<Record<string, string>>,
  options?: { eol?: '\n' | '\r\n'; shellSafe?: boolean },
): string {
  const values = parseInput('serializeEnvRecord', recordSchema, record);
  const opts = parseInput('serializeEnvRecord', serializeOptionsSchema, options) ?? {};
  const eol = opts.eol ?? '\n';
  const line = { shellSafe: opts.shellSafe === true };
  return Object.entries(values)
    .map(([key, value]) => `${formatEnvLine(key, value, line)}${eol}`)
    .join('');
}
