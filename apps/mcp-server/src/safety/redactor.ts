/** Secrets shorter than this are not searched for: they would mangle ordinary words. */
const MIN_SECRET_LENGTH = 6;
const URL_LIKE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
const KEY_VALUE_PASSWORD = /\bpassword\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/gi;

export type ConnectionStringRedactor = (text: string) => string;

/** The last resort when pg-connect is not loaded yet: the password of user:password@ URLs. */
function basicUrlRedaction(url: string): string {
  return url.replace(/^([^:/]+:\/\/[^:/@\s]*:)[^@\s]*@/, '$1***@');
}

/**
 * One redactor for every text and structuredContent the server sends and every line it logs:
 * the known secret values (each instance's resolved secrets, the HTTP token, ...) and their
 * percent-encoded forms become `***`, and connection-string passwords are hidden.
 */
export class Redactor {
  readonly #secrets = new Set<string>();
  #pattern: RegExp | undefined;
  #redactUrl: ConnectionStringRedactor = basicUrlRedaction;

  /** Uses pg-connect's redactConnectionString (every password form it knows). */
  useConnectionStringRedactor(fn: ConnectionStringRedactor): void {
    this.#redactUrl = fn;
  }

  add(values: Iterable<string | undefined | null>): void {
    let changed = false;
    for (const value of values) {
      if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) continue;
      for (const form of new Set([value, encodeURIComponent(value)])) {
        if (!this.#secrets.has(form)) {
          this.#secrets.add(form);
          changed = true;
        }
      }
    }
    if (changed) this.#pattern = undefined;
  }

  get secrets(): string[] {
    return [...this.#secrets];
  }

  redactString(text: string, reveal?: ReadonlySet<string>): string {
    let out = text;
    if (out.includes('://')) out = out.replace(URL_LIKE, (url) => this.#redactUrl(url));
    if (/password\s*=/i.test(out)) out = out.replace(KEY_VALUE_PASSWORD, 'password=***');
    const pattern = this.#compiled();
    if (!pattern) return out;
    return out.replace(pattern, (match) => (reveal?.has(match) ? match : '***'));
  }

  /** A deep copy with every string (also object keys) redacted. */
  redact<T>(value: T, reveal?: ReadonlySet<string>): T {
    return this.#walk(value, reveal, 0) as T;
  }

  #walk(value: unknown, reveal: ReadonlySet<string> | undefined, depth: number): unknown {
    if (typeof value === 'string') return this.redactString(value, reveal);
    if (value === null || typeof value !== 'object' || depth > 64) return value;
    if (Array.isArray(value)) return value.map((v) => this.#walk(v, reveal, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[this.redactString(k, reveal)] = this.#walk(v, reveal, depth + 1);
    }
    return out;
  }

  #compiled(): RegExp | undefined {
    if (this.#secrets.size === 0) return undefined;
    if (!this.#pattern) {
      const alternatives = [...this.#secrets]
        .sort((a, b) => b.length - a.length)
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      this.#pattern = new RegExp(alternatives.join('|'), 'g');
    }
    return this.#pattern;
  }
}
