import { z } from 'zod';
import { parseInput } from '../errors.js';
import { assertEnvWritable } from './guard.js';
import { formatEnvLine, formatEnvValue } from './serialize.js';
import type { EnvEntry, EnvNode } from './types.js';

/** Keys this package writes: what docker compose, shells and Dokploy's UI all accept. */
export const ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

const keySchema = z.string().regex(ENV_KEY_PATTERN, 'must match [A-Za-z_][A-Za-z0-9_.-]*');
// a NUL cannot be passed through an environment
const valueSchema = z.string().refine((v) => !v.includes('\0'), 'must not contain a NUL character');
const editSchema = z
  .object({
    set: z.record(keySchema, valueSchema).optional(),
    unset: z.array(keySchema).optional(),
  })
  .strict();

export interface EnvEdit {
  /** Keys to set: existing lines are rewritten in place, new keys appended. */
  set?: Readonly<Record<string, string>>;
  /** Keys to remove (every line that sets them). */
  unset?: readonly string[];
}

export interface EnvEditResult {
  readonly text: string;
  /** Existing keys whose line was rewritten. */
  readonly changed: string[];
  /** Keys appended at the end. */
  readonly added: string[];
  /** Keys whose lines were removed. */
  readonly removed: string[];
  /** Keys asked for that already had that value (their lines are untouched). */
  readonly unchanged: string[];
}

function terminatorOf(raw: string): string {
  return raw.endsWith('\r\n') ? '\r\n' : raw.endsWith('\n') ? '\n' : '';
}

function rewrite(entry: EnvEntry, value: string): string | undefined {
  const written = entry.raw.slice(entry.valueStart, entry.valueEnd);
  if (entry.inherited) {
    const head = entry.raw.slice(0, entry.valueStart).replace(/[\t\v\f\r \u0085\u00a0]+$/, '');
    return `${head}=${formatEnvValue(value)}${terminatorOf(entry.raw)}`;
  }
  // the document was parsed without interpolation, so `value` is the literal text; a written
  // form with `$` would interpolate to something else
  if (entry.value === value && !written.includes('$')) return undefined;
  const formatted = formatEnvValue(value, entry.quote);
  if (formatted === written) return undefined;
  return `${entry.raw.slice(0, entry.valueStart)}${formatted}${entry.raw.slice(entry.valueEnd)}`;
}

/**
 * Applies `set` and `unset` to env text. Every line not named is kept byte for byte (CRLF,
 * comments, quoting, a missing final newline); rewritten lines keep their `export`, spacing,
 * quote style and inline comment. All lines of a duplicated key are updated (or removed).
 * Refuses ciphertext and unparseable text (`assertEnvWritable`).
 */
export function editEnv(text: string, edit: EnvEdit): EnvEditResult {
  const source = parseInput('editEnv', z.string(), text);
  const { set = {}, unset = [] } = parseInput('editEnv', editSchema, edit);
  const doc = assertEnvWritable(source);
  const removing = new Set(unset);
  const seen = new Set<string>();
  const changed = new Set<string>();
  const unchanged = new Set<string>();
  const removed = new Set<string>();
  const nodes: EnvNode[] = [];
  for (const node of doc.nodes) {
    if (node.kind !== 'entry') {
      nodes.push(node);
      continue;
    }
    if (removing.has(node.key)) {
      removed.add(node.key);
      continue;
    }
    const value = set[node.key];
    if (value === undefined) {
      nodes.push(node);
      continue;
    }
    seen.add(node.key);
    const raw = rewrite(node, value);
    if (raw === undefined) unchanged.add(node.key);
    else changed.add(node.key);
    nodes.push(raw === undefined ? node : { ...node, raw });
  }
  let out = nodes.map((node) => node.raw).join('');
  if (!doc.finalNewline && source !== '' && out !== '') {
    // removing the last line must not leave a final newline the input did not have
    out = out.replace(/\r?\n$/, '');
  }
  const added = Object.keys(set).filter((key) => !seen.has(key) && !removing.has(key));
  if (added.length > 0) {
    const lines = added.map((key) => formatEnvLine(key, set[key] as string));
    if (out === '') out = `${lines.join(doc.eol)}${doc.eol}`;
    else if (doc.finalNewline && /\n$/.test(out)) out += lines.map((l) => l + doc.eol).join('');
    else out += doc.eol + lines.join(doc.eol);
  }
  for (const key of changed) unchanged.delete(key);
  return {
    text: out,
    changed: [...changed],
    added,
    removed: [...removed],
    unchanged: [...unchanged],
  };
}

/** Sets keys in env text and returns the new text (see `editEnv` for the guarantees). */
export function setEnvValues(text: string, values: Readonly<Record<string, string>>): string {
  return editEnv(text, { set: values }).text;
}

/** Removes every line that sets one of `keys` and returns the new text. */
export function unsetEnvKeys(text: string, keys: readonly string[]): string {
  return editEnv(text, { unset: keys }).text;
}
