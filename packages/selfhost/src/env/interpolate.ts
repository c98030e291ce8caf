/*
 * Docker compose's interpolation of .env values (compose-go template.Substitute): `$$`, `$NAME`,
 * `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:+alt}`, `${NAME+alt}`,
 * `${NAME:?message}` and `${NAME?message}`, with nested `${…}` in the word. A `$` that starts
 * none of these stays literal; `${` with a malformed body makes compose refuse the file.
 */

export type Lookup = (name: string) => string | undefined;

export interface InterpolationProblem {
  readonly kind: 'undefined-reference' | 'invalid-interpolation' | 'required-reference';
  readonly name?: string;
}

export interface Interpolated {
  readonly value: string;
  readonly references: string[];
  readonly problems: InterpolationProblem[];
}

const NAME_START = /[_a-zA-Z]/;
const NAME_CHAR = /[_a-zA-Z0-9]/;
const OPERATORS = [':-', ':+', ':?', '-', '+', '?'] as const;

/** Index of the `}` closing the `${` at `open`, counting nested braces; -1 if none. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function readName(text: string, from: number): number {
  if (!NAME_START.test(text[from] ?? '')) return from;
  let end = from + 1;
  while (end < text.length && NAME_CHAR.test(text[end] as string)) end++;
  return end;
}

class Interpolator {
  readonly references: string[] = [];
  readonly problems: InterpolationProblem[] = [];

  constructor(private readonly lookup: Lookup) {}

  private get(name: string): string | undefined {
    this.references.push(name);
    return this.lookup(name);
  }

  private braced(body: string): string {
    const nameEnd = readName(body, 0);
    const name = body.slice(0, nameEnd);
    if (!name) {
      this.problems.push({ kind: 'invalid-interpolation' });
      return '';
    }
    const rest = body.slice(nameEnd);
    if (rest === '') return this.plain(name);
    const op = OPERATORS.find((candidate) => rest.startsWith(candidate));
    if (!op) {
      this.problems.push({ kind: 'invalid-interpolation', name });
      return '';
    }
    const word = rest.slice(op.length);
    const value = this.get(name);
    const empty = value === undefined || (op.startsWith(':') && value === '');
    switch (op) {
      case ':-':
      case '-':
        return empty ? this.run(word) : (value as string);
      case ':+':
      case '+':
        return empty ? (value ?? '') : this.run(word);
      default:
        if (empty) this.problems.push({ kind: 'required-reference', name });
        return value ?? '';
    }
  }

  private plain(name: string): string {
    const value = this.get(name);
    if (value === undefined) this.problems.push({ kind: 'undefined-reference', name });
    return value ?? '';
  }

  run(text: string): string {
    let out = '';
    let i = 0;
    while (i < text.length) {
      const dollar = text.indexOf('$', i);
      if (dollar === -1) {
        out += text.slice(i);
        break;
      }
      out += text.slice(i, dollar);
      const next = text[dollar + 1];
      if (next === '$') {
        out += '$';
        i = dollar + 2;
      } else if (next === '{') {
        const close = closingBrace(text, dollar + 1);
        if (close === -1) {
          this.problems.push({ kind: 'invalid-interpolation' });
          out += text.slice(dollar);
          break;
        }
        out += this.braced(text.slice(dollar + 2, close));
        i = close + 1;
      } else {
        const end = readName(text, dollar + 1);
        if (end === dollar + 1) {
          out += '$';
          i = dollar + 1;
        } else {
          out += this.plain(text.slice(dollar + 1, end));
          i = end;
        }
      }
    }
    return out;
  }
}

/** Interpolates `text` the way docker compose does for unquoted and double-quoted values. */
export function interpolate(text: string, lookup: Lookup): Interpolated {
  if (!text.includes('$')) return { value: text, references: [], problems: [] };
  const run = new Interpolator(lookup);
  const value = run.run(text);
  return { value, references: run.references, problems: run.problems };
}
