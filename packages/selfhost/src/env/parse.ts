// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the messages name compose ${…} syntax
import { z } from 'zod';
import { parseInput } from '../errors.js';
import { interpolate } from './interpolate.js';
import {
  AFTER_QUOTE,
  afterLine,
  contentEnd,
  countLines,
  EXPORT,
  expandEscapes,
  KEY_CHARS,
  scanQuoted,
  skipSpace,
  TRAILING_SPACE,
} from './lexer.js';
import type { EnvDocument, EnvEntry, EnvIssue, EnvNode, EnvQuote, EnvRecord } from './types.js';

/*
 * The .env dialect docker compose reads (compose-go dotenv/parser.go), which is what Dokploy's
 * env text becomes: it writes the text verbatim to `.env` next to the compose file.
 * Every node keeps its exact source text, so serializing gives the input back byte for byte.
 */

export interface ParseEnvOptions {
  /** Apply compose interpolation to unquoted and double-quoted values (default true). */
  interpolate?: boolean;
  /**
   * Values compose knows before the file (its process environment; Dokploy also writes
   * `APP_NAME` and `COMPOSE_PROJECT_NAME` first). They win over the file's own, as in compose.
   */
  predefined?: Record<string, string>;
}

const optionsSchema = z
  .object({
    interpolate: z.boolean().optional(),
    predefined: z.record(z.string(), z.string()).optional(),
  })
  .strict()
  .optional();

class Parser {
  readonly nodes: EnvNode[] = [];
  readonly issues: EnvIssue[] = [];
  private readonly values = new Map<string, string>();
  private readonly firstLine = new Map<string, number>();
  private line = 1;

  constructor(
    private readonly text: string,
    private readonly options: { interpolate: boolean; predefined: Record<string, string> },
  ) {}

  run(): void {
    const { text } = this;
    let pos = 0;
    while (pos < text.length) {
      const nl = text.indexOf('\n', pos);
      // a UTF-8 byte order mark belongs to the first node and is not part of any key
      const start = pos === 0 && text.charCodeAt(0) === 0xfeff ? 1 : pos;
      const lineEnd = contentEnd(text, start, nl === -1 ? text.length : nl);
      const content = skipSpace(text, start, lineEnd);
      if (content === lineEnd) pos = this.trivia('blank', pos, nl);
      else if (text[content] === '#') pos = this.trivia('comment', pos, nl);
      else pos = this.statement(pos, content, lineEnd);
    }
  }

  private nextLineStart(nl: number): number {
    return nl === -1 ? this.text.length : nl + 1;
  }

  private trivia(kind: 'blank' | 'comment', pos: number, nl: number): number {
    const end = this.nextLineStart(nl);
    this.nodes.push({ kind, raw: this.text.slice(pos, end), line: this.line, endLine: this.line });
    this.line++;
    return end;
  }

  private invalid(pos: number, lineEnd: number, reason: string, kind: EnvIssue['kind']): number {
    const end = afterLine(this.text, lineEnd);
    this.nodes.push({
      kind: 'invalid',
      raw: this.text.slice(pos, end),
      line: this.line,
      endLine: this.line,
      reason,
    });
    this.issues.push({ kind, severity: 'error', line: this.line, message: reason });
    this.line++;
    return end;
  }

  private statement(pos: number, content: number, lineEnd: number): number {
    const { text } = this;
    let i = content;
    let exported = false;
    const exportMatch = EXPORT.exec(text.slice(i, lineEnd));
    if (exportMatch) {
      exported = true;
      i = skipSpace(text, i + exportMatch[0].length, lineEnd);
    }
    let sep = i;
    while (sep < lineEnd && text[sep] !== '=' && text[sep] !== ':') sep++;
    const keyText = text.slice(i, sep);
    if (!KEY_CHARS.test(keyText)) {
      return this.invalid(
        pos,
        lineEnd,
        'the key has a character outside letters, digits and _ . - [ ] (or the line is not KEY=VALUE)',
        'invalid-line',
      );
    }
    const key = keyText.replace(TRAILING_SPACE, '');
    if (key === '')
      return this.invalid(pos, lineEnd, 'the line has no key before "="', 'invalid-line');
    if (/\s/.test(key))
      return this.invalid(pos, lineEnd, 'the key contains a space', 'invalid-line');
    if (sep === lineEnd) return this.inherited(pos, key, exported, lineEnd, sep - pos);
    const separator = text[sep] as '=' | ':';
    const v = skipSpace(text, sep + 1, lineEnd);
    const quoteChar = text[v];
    if (v < lineEnd && (quoteChar === '"' || quoteChar === "'")) {
      return this.quoted(pos, key, exported, separator, v, lineEnd);
    }
    let written = text.slice(v, lineEnd);
    const comment = written.indexOf(' #');
    if (comment !== -1) written = written.slice(0, comment);
    written = written.replace(TRAILING_SPACE, '');
    const end = afterLine(text, lineEnd);
    this.entry({
      key,
      literal: written,
      interpolated: true,
      quote: 'none',
      exported,
      separator,
      raw: text.slice(pos, end),
      valueStart: v - pos,
      valueEnd: v - pos + written.length,
      lines: 1,
    });
    return end;
  }

  private quoted(
    pos: number,
    key: string,
    exported: boolean,
    separator: '=' | ':',
    open: number,
    lineEnd: number,
  ): number {
    const { text } = this;
    const scan = scanQuoted(text, open);
    if (!scan) {
      return this.invalid(
        pos,
        lineEnd,
        `the value of ${key} opens a quote that is never closed`,
        'unterminated-quote',
      );
    }
    const closeLineEnd = text.indexOf('\n', scan.close);
    const endOfLine = contentEnd(
      text,
      scan.close + 1,
      closeLineEnd === -1 ? text.length : closeLineEnd,
    );
    const lines = 1 + countLines(text, open, scan.close);
    if (!AFTER_QUOTE.test(text.slice(scan.close + 1, endOfLine))) {
      return this.invalid(
        pos,
        lineEnd,
        `the value of ${key} has text after its closing quote (a second KEY=VALUE on the line?)`,
        'text-after-quote',
      );
    }
    const end = afterLine(text, endOfLine);
    const double = text[open] === '"';
    this.entry({
      key,
      literal: double ? expandEscapes(scan.chars) : scan.chars,
      interpolated: double,
      quote: double ? 'double' : 'single',
      exported,
      separator,
      raw: text.slice(pos, end),
      valueStart: open - pos,
      valueEnd: scan.close + 1 - pos,
      lines,
    });
    return end;
  }

  private inherited(
    pos: number,
    key: string,
    exported: boolean,
    lineEnd: number,
    keyEnd: number,
  ): number {
    const end = afterLine(this.text, lineEnd);
    const inheritedValue = this.options.predefined[key];
    const node: EnvEntry = {
      kind: 'entry',
      key,
      value: inheritedValue ?? '',
      quote: 'none',
      exported,
      separator: '=',
      inherited: true,
      references: [],
      line: this.line,
      endLine: this.line,
      raw: this.text.slice(pos, end),
      valueStart: keyEnd,
      valueEnd: keyEnd,
    };
    this.issues.push({
      kind: 'inherited-key',
      severity: 'warning',
      line: this.line,
      key,
      message: `${key} has no "=": docker compose takes its value from the Dokploy server's own environment, usually empty`,
    });
    this.record(node);
    this.line++;
    return end;
  }

  private entry(e: {
    key: string;
    literal: string;
    interpolated: boolean;
    quote: EnvQuote;
    exported: boolean;
    separator: '=' | ':';
    raw: string;
    valueStart: number;
    valueEnd: number;
    lines: number;
  }): void {
    let value = e.literal;
    let references: string[] = [];
    if (e.interpolated && this.options.interpolate) {
      const result = interpolate(e.literal, (name) => this.lookup(name));
      value = result.value;
      references = result.references;
      for (const problem of result.problems) {
        const what =
          problem.kind === 'undefined-reference'
            ? `refers to $${problem.name}, which is not defined before it: docker compose substitutes an empty string (write $$ for a literal $, or single-quote the value)`
            : problem.kind === 'required-reference'
              ? `requires ${problem.name} (\${${problem.name}:?…}), which is not set: docker compose refuses the file`
              : 'has a malformed ${…} expression: docker compose refuses the file (write $$ for a literal $)';
        this.issues.push({
          kind: problem.kind,
          severity: problem.kind === 'undefined-reference' ? 'warning' : 'error',
          line: this.line,
          key: e.key,
          message: `the value of ${e.key} ${what}`,
        });
      }
    }
    const node: EnvEntry = {
      kind: 'entry',
      key: e.key,
      value,
      quote: e.quote,
      exported: e.exported,
      separator: e.separator,
      inherited: false,
      references,
      line: this.line,
      endLine: this.line + e.lines - 1,
      raw: e.raw,
      valueStart: e.valueStart,
      valueEnd: e.valueEnd,
    };
    this.record(node);
    this.line += e.lines;
  }

  private lookup(name: string): string | undefined {
    return this.options.predefined[name] ?? this.values.get(name);
  }

  private record(node: EnvEntry): void {
    const first = this.firstLine.get(node.key);
    if (first === undefined) this.firstLine.set(node.key, node.line);
    else {
      this.issues.push({
        kind: 'duplicate-key',
        severity: 'warning',
        line: node.line,
        key: node.key,
        message: `${node.key} is set again (first on line ${first}); docker compose uses the last one`,
      });
    }
    this.values.set(node.key, node.value);
    this.nodes.push(node);
  }
}

function dominantEol(text: string): '\n' | '\r\n' {
  let lf = 0;
  let crlf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (text[i - 1] === '\r') crlf++;
    else lf++;
  }
  return crlf > 0 && crlf >= lf ? '\r\n' : '\n';
}

/**
 * Parses env text as docker compose reads a `.env` file. Never throws on content: problems
 * become `issues` (and `invalid` nodes), so any text round-trips through `serializeEnv`.
 */
export function parseEnv(text: string, options?: ParseEnvOptions): EnvDocument {
  const source = parseInput('parseEnv', z.string(), text);
  const o = parseInput('parseEnv', optionsSchema, options);
  const parser = new Parser(source, {
    interpolate: o?.interpolate ?? true,
    predefined: o?.predefined ?? {},
  });
  parser.run();
  return {
    nodes: parser.nodes,
    eol: dominantEol(source),
    finalNewline: source.endsWith('\n'),
    issues: [...parser.issues].sort((a, b) => a.line - b.line),
  };
}

/** The entries of a document, in order. */
export function envEntries(doc: EnvDocument): EnvEntry[] {
  return doc.nodes.filter((node): node is EnvEntry => node.kind === 'entry');
}

/** The effective values: the last occurrence of each key wins, as in docker compose. */
export function toEnvRecord(doc: EnvDocument): EnvRecord {
  const out: EnvRecord = {};
  for (const entry of envEntries(doc)) {
    // a bare KEY is unset unless the process environment (`predefined`) supplies it
    if (!entry.inherited || entry.value !== '') out[entry.key] = entry.value;
  }
  return out;
}

/** Keys set more than once, with every line they appear on. */
export function findDuplicateKeys(doc: EnvDocument): { key: string; lines: number[] }[] {
  const lines = new Map<string, number[]>();
  for (const entry of envEntries(doc)) {
    const list = lines.get(entry.key);
    if (list) list.push(entry.line);
    else lines.set(entry.key, [entry.line]);
  }
  return [...lines].filter(([, l]) => l.length > 1).map(([key, l]) => ({ key, lines: l }));
}
