import { z } from 'zod';
import { EnvCiphertextError, EnvSyntaxError, parseInput } from '../errors.js';
import { parseEnv } from './parse.js';
import type { EnvDocument, EnvIssueKind } from './types.js';

/** Dokploy's at-rest format (v0.29.12+): `enc:v1:<base64 iv|tag|data>`. */
const DOKPLOY_CIPHERTEXT = /^enc:v\d+:[A-Za-z0-9+/_-]+={0,2}$/;
/** Any other single opaque token: base64, base64url or hex, optionally `:`-separated parts. */
const OPAQUE_BLOB = /^[A-Za-z0-9+/_:.-]{32,}={0,2}$/;

/** Parse problems that make a rewrite unsafe: the text is not KEY=VALUE lines. */
const STRUCTURAL: ReadonlySet<EnvIssueKind> = new Set([
  'invalid-line',
  'unterminated-quote',
  'text-after-quote',
]);

/**
 * Whether env text is ciphertext rather than KEY=VALUE lines: Dokploy's `enc:v1:` form, or one
 * long opaque token (base64/hex) with characters no key can hold. An empty env is not.
 */
export function looksLikeCiphertext(text: string): boolean {
  const t = parseInput('looksLikeCiphertext', z.string(), text).trim();
  if (DOKPLOY_CIPHERTEXT.test(t)) return true;
  if (/\s/.test(t) || !OPAQUE_BLOB.test(t)) return false;
  const body = t.replace(/=+$/, '');
  if (/[+/:]/.test(body) || t.endsWith('=') || /^[0-9a-f]{64,}$/i.test(body)) return true;
  // unpadded base64 without + or /: mixed case and digits, but no _ as KEY names have
  return /[a-z]/.test(body) && /[A-Z]/.test(body) && /[0-9]/.test(body) && !body.includes('_');
}

/**
 * Refuses env text that must not be written back: ciphertext (`EnvCiphertextError`) or text
 * with lines docker compose cannot read (`EnvSyntaxError`). Returns the parsed document
 * (values not interpolated) when it is safe to edit.
 */
export function assertEnvWritable(text: string): EnvDocument {
  const source = parseInput('assertEnvWritable', z.string(), text);
  if (looksLikeCiphertext(source)) throw new EnvCiphertextError();
  const doc = parseEnv(source, { interpolate: false });
  const problems = doc.issues
    .filter((issue) => STRUCTURAL.has(issue.kind))
    .map((issue) => ({ line: issue.line, reason: issue.message }));
  if (problems.length > 0) throw new EnvSyntaxError(problems);
  return doc;
}
