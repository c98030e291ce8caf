import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRICKY_VALUES } from '../../test/helpers.js';
import { SelfhostValidationError } from '../errors.js';
import { parseEnv, toEnvRecord } from './parse.js';
import { formatEnvLine, formatEnvValue, needsQuotes, serializeEnvRecord } from './serialize.js';

describe('formatEnvValue', () => {
  it.each(TRICKY_VALUES.map((v) => [v]))('%j reads back unchanged through parseEnv', (value) => {
    const line = formatEnvLine('KEY', value);
    const doc = parseEnv(`${line}\n`);
    expect(doc.issues).toEqual([]);
    expect(toEnvRecord(doc).KEY).toBe(value);
    // never a raw line break inside a line: line-based readers (Dokploy's UI) see one line
    expect(line).not.toMatch(/[\r\n]/);
  });

  it('quotes only when needed, single quotes before double', () => {
    expect(formatEnvValue('abc123')).toBe('abc123');
    expect(formatEnvValue('with space')).toBe('with space');
    expect(formatEnvValue('a#b')).toBe("'a#b'");
    expect(formatEnvValue('pa$s')).toBe("'pa$s'");
    expect(formatEnvValue("it's $5")).toBe('"it\'s $$5"');
    expect(formatEnvValue('two\nlines')).toBe('"two\\nlines"');
    expect(needsQuotes('')).toBe(false);
    expect(needsQuotes(' x')).toBe(true);
  });

  it('keeps a preferred quote style when it can hold the value', () => {
    expect(formatEnvValue('abc', 'double')).toBe('"abc"');
    expect(formatEnvValue('abc', 'single')).toBe("'abc'");
    expect(formatEnvValue("it's", 'single')).toBe("it's");
    expect(formatEnvValue("it's #1", 'single')).toBe('"it\'s #1"');
  });

  it('serializes a record as KEY=value lines', () => {
    expect(serializeEnvRecord({ A: '1', B: 'x y', C: '$z' })).toBe("A=1\nB=x y\nC='$z'\n");
    expect(serializeEnvRecord({ A: '1' }, { eol: '\r\n' })).toBe('A=1\r\n');
    expect(() => serializeEnvRecord({ A: 1 } as never)).toThrow(SelfhostValidationError);
    expect(() => formatEnvValue(undefined as never)).toThrow(SelfhostValidationError);
  });

  it('reads back random values of every character class', () => {
    let seed = 11;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const alphabet = 'aZ09 _-#$"\'`\\\n\r\t{}=:/@?&%!ü';
    for (let round = 0; round < 500; round++) {
      let value = '';
      const length = rand() % 24;
      for (let i = 0; i < length; i++) value += alphabet[rand() % alphabet.length];
      expect(toEnvRecord(parseEnv(formatEnvLine('K', value))).K).toBe(value);
    }
  });

  it('shellSafe single-quotes what a sourcing shell would change, and compose reads it the same', () => {
    const jwks = '{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b"}]}';
    const record = { A: 'plain-value_1.2', J: jwks, S: 'two words', G: 'a*b', T: "it's" };
    const text = serializeEnvRecord(record, { shellSafe: true });
    expect(text).toBe(`A=plain-value_1.2\nJ='${jwks}'\nS='two words'\nG='a*b'\nT="it's"\n`);
    expect(toEnvRecord(parseEnv(text))).toEqual(record);
    // without the option nothing changes: bare where compose reads it unchanged
    expect(serializeEnvRecord({ J: jwks })).toBe(`J=${jwks}\n`);
    expect(() => serializeEnvRecord({}, { shell: true } as never)).toThrow(SelfhostValidationError);
  });

  it('shellSafe text sourced by a real POSIX shell gives back every value', () => {
    const record = {
      J: '{"keys":[{"kty":"EC","x":"a,b"}]}',
      S: 'two  words',
      G: '*.acme.dev',
      T: "it's",
      U: 'postgres://u:p@h:5432/db?x=1&y=2',
    };
    const dir = mkdtempSync(join(tmpdir(), 'shell-safe-'));
    const file = join(dir, '.env');
    writeFileSync(file, serializeEnvRecord(record, { shellSafe: true }));
    const keys = Object.keys(record).join(' ');
    const out = execFileSync(
      'sh',
      [
        '-c',
        `set -a; . "$1"; for k in ${keys}; do eval "printf '%s\\0' \\"\\$$k\\""; done`,
        'sh',
        file,
      ],
      { encoding: 'utf8' },
    );
    rmSync(dir, { recursive: true, force: true });
    expect(out.split('\0').slice(0, -1)).toEqual(Object.values(record));
  });
});
