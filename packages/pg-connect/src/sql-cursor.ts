import type { SqlToken } from './sql-tokens.js';

/** Reads a statement's tokens front to back: keywords, names, balanced parentheses. */
export class Cursor {
  i = 0;
  constructor(readonly tokens: SqlToken[]) {}

  word(offset = 0): string | undefined {
    const t = this.tokens[this.i + offset];
    return t?.kind === 'word' ? t.value : undefined;
  }

  /** Consumes the words when they come next, in order. */
  accept(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) if (this.word(k) !== words[k]) return false;
    this.i += words.length;
    return true;
  }

  punct(value: string): boolean {
    const t = this.tokens[this.i];
    if (t?.kind === 'punct' && t.value === value) {
      this.i++;
      return true;
    }
    return false;
  }

  /** `a`, `a.b`, `"A".b`, `db.a.b`: the name parts, or undefined when no name comes next. */
  name(): string[] | undefined {
    const parts: string[] = [];
    for (;;) {
      const t = this.tokens[this.i];
      if (t?.kind !== 'word' && t?.kind !== 'ident') break;
      parts.push(t.value);
      this.i++;
      if (!this.punct('.')) break;
    }
    return parts.length > 0 ? parts : undefined;
  }

  /** Skips a balanced ( … ) group when one comes next. */
  skipParens(): void {
    if (!this.punct('(')) return;
    let depth = 1;
    while (this.i < this.tokens.length && depth > 0) {
      const t = this.tokens[this.i++]!;
      if (t.kind === 'punct' && t.value === '(') depth++;
      else if (t.kind === 'punct' && t.value === ')') depth--;
    }
  }

  /** Moves past the next top-level occurrence of `word`; false when there is none. */
  seek(word: string): boolean {
    let depth = 0;
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i++]!;
      if (t.kind === 'punct' && t.value === '(') depth++;
      else if (t.kind === 'punct' && t.value === ')') depth--;
      else if (depth === 0 && t.kind === 'word' && t.value === word) return true;
    }
    return false;
  }
}
