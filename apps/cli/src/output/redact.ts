const MASK = '***';

/**
 * Hides secrets in text the CLI prints: every known secret value (resolved instance secrets,
 * values read from env files, --db-url passwords) and, once a database command loaded
 * @supaops/pg-connect, any connection-string password.
 */
export class Redactor {
  #secrets: string[] = [];
  #connectionRedactor: ((text: string) => string) | undefined;

  add(...values: Array<string | undefined | null>): void {
    for (const value of values) {
      // very short values would mask ordinary words; they are not secrets worth the name
      if (typeof value !== 'string' || value.length < 6) continue;
      if (!this.#secrets.includes(value)) this.#secrets.push(value);
    }
    // longest first, so a secret containing another is hidden whole
    this.#secrets.sort((a, b) => b.length - a.length);
  }

  get secrets(): readonly string[] {
    return this.#secrets;
  }

  useConnectionRedactor(redact: (text: string) => string): void {
    this.#connectionRedactor = redact;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(MASK);
    }
    if (this.#connectionRedactor && /:\/\/|password=/i.test(out)) {
      out = out
        .split('\n')
        .map((line) => (/:\/\/|password=/i.test(line) ? this.#connectionRedactor!(line) : line))
        .join('\n');
    }
    return out;
  }
}
