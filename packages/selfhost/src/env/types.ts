/** How a value is written in the env text. */
export type EnvQuote = 'none' | 'single' | 'double';

/** A `KEY=VALUE` statement (possibly spanning several lines when its quoted value does). */
export interface EnvEntry {
  readonly kind: 'entry';
  readonly key: string;
  /**
   * The value docker compose hands on: quotes removed, escapes of double-quoted values applied,
   * `$VAR`/`${VAR…}` interpolated from earlier lines (unless parsed with `interpolate: false`).
   */
  readonly value: string;
  readonly quote: EnvQuote;
  /** Written with an `export ` prefix. */
  readonly exported: boolean;
  /** `=`, or `:` (the YAML-style form docker compose also reads). */
  readonly separator: '=' | ':';
  /** A bare `KEY` line: docker compose takes the value from its own process environment. */
  readonly inherited: boolean;
  /** Variables the value refers to (`$NAME`, `${NAME:-…}`), in order of appearance. */
  readonly references: readonly string[];
  /** 1-based line where the entry starts, and where it ends (multi-line quoted values). */
  readonly line: number;
  readonly endLine: number;
  /** The exact source text, line terminator included. */
  readonly raw: string;
  /** Offsets into `raw` of the written value (quotes included); an edit replaces only this span. */
  readonly valueStart: number;
  readonly valueEnd: number;
}

/** A blank line or a `#` comment line. */
export interface EnvTrivia {
  readonly kind: 'blank' | 'comment';
  readonly raw: string;
  readonly line: number;
  readonly endLine: number;
}

/** A line docker compose refuses (or that this parser will not guess about). */
export interface EnvInvalidLine {
  readonly kind: 'invalid';
  readonly raw: string;
  readonly line: number;
  readonly endLine: number;
  /** What is wrong, without the line's content (it may hold a secret). */
  readonly reason: string;
}

export type EnvNode = EnvEntry | EnvTrivia | EnvInvalidLine;

export type EnvIssueKind =
  | 'invalid-line'
  | 'unterminated-quote'
  | 'text-after-quote'
  | 'duplicate-key'
  | 'inherited-key'
  | 'undefined-reference'
  | 'invalid-interpolation'
  | 'required-reference';

/** A problem found while parsing; `message` never quotes a value. */
export interface EnvIssue {
  readonly kind: EnvIssueKind;
  readonly severity: 'error' | 'warning';
  readonly line: number;
  readonly key?: string;
  readonly message: string;
}

/** Parsed env text. Serializing it gives the input back byte for byte. */
export interface EnvDocument {
  readonly nodes: readonly EnvNode[];
  /** The line terminator most lines use (`\r\n` when at least half of them do). */
  readonly eol: '\n' | '\r\n';
  /** Whether the text ends with a line terminator. */
  readonly finalNewline: boolean;
  /** Syntax problems, duplicate keys and interpolation warnings, in line order. */
  readonly issues: readonly EnvIssue[];
}

/** A plain map of the effective values (the last occurrence of a key wins, as in compose). */
export type EnvRecord = Record<string, string>;
