import { z } from 'zod';
import { ensure } from './validate.js';

/** Env keys whose values are treated as secrets. */
const SECRET_KEY_RE =
  /(PASSWORD|PASSWD|PASS|SECRET|TOKEN|KEY|JWT|CREDENTIAL|PRIVATE|AUTH|SALT|DSN|DATABASE_URL)/i;
const MIN_SECRET_LENGTH = 6;
const MAX_TRACKED = 2_000;

/** Masks a secret: the first and last 4 characters for long values, `***` otherwise. */
export function maskSecret(value: string): string {
  ensure(z.string(), value, 'secret', 'pass the secret as a string.');
  if (value.length >= 24) return `${value.slice(0, 4)}…${value.slice(-4)}`;
  return '***';
}

function escapeRe(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether an env key names a secret (`POSTGRES_PASSWORD`, `JWT_SECRET`, `ANON_KEY`, …). */
export function isSecretEnvKey(key: string): boolean {
  return SECRET_KEY_RE.test(ensure(z.string(), key, 'env key', 'pass the key as a string.'));
}

/** Yields `[key, value]` for each `KEY=VALUE` line of a Dokploy env string (comments skipped). */
export function* envEntries(env: string): Generator<[string, string]> {
  for (const line of env.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=(.*)$/.exec(line);
    if (!m?.[1]) continue;
    let value = (m[2] ?? '').trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) {
      value = value.slice(1, -1);
    }
    yield [m[1], value];
  }
}

/**
 * Masks the values of secret keys in a Dokploy env string (`KEY=VALUE` lines), keeping the
 * rest readable. For logs and tool output.
 */
export function redactEnv(env: string): string {
  return ensure(z.string(), env, 'env', 'pass the env as a newline-separated KEY=VALUE string.')
    .split(/\r?\n/)
    .map((line) => {
      const m = /^(\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=)(.*)$/.exec(line);
      if (!m?.[2] || !isSecretEnvKey(m[2]) || (m[3] ?? '').trim() === '') return line;
      return `${m[1]}${maskSecret((m[3] ?? '').trim())}`;
    })
    .join('\n');
}

/**
 * Remembers secret values (the API key, env secrets seen in requests and responses) and masks
 * every occurrence of them in text. One per client.
 */
export class Redactor {
  readonly #secrets = new Set<string>();
  #pattern: RegExp | undefined;

  constructor(secrets: Iterable<string> = []) {
    for (const s of secrets) this.add(s);
  }

  add(secret: string | undefined | null): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH || this.#secrets.has(secret)) return;
    if (this.#secrets.size >= MAX_TRACKED) {
      const oldest = this.#secrets.values().next().value;
      if (oldest !== undefined) this.#secrets.delete(oldest);
    }
    this.#secrets.add(secret);
    this.#pattern = undefined;
  }

  /** Tracks the values of secret keys of an env string. */
  addEnv(env: string | null | undefined): void {
    if (!env) return;
    for (const [key, value] of envEntries(env)) if (isSecretEnvKey(key)) this.add(value);
  }

  get size(): number {
    return this.#secrets.size;
  }

  redact(text: string): string {
    if (this.#secrets.size === 0 || text === '') return text;
    if (!this.#pattern) {
      // longest first so a secret containing another is masked whole
      const alternatives = [...this.#secrets].sort((a, b) => b.length - a.length).map(escapeRe);
      this.#pattern = new RegExp(alternatives.join('|'), 'g');
    }
    return text.replace(this.#pattern, (m) => maskSecret(m));
  }
}
