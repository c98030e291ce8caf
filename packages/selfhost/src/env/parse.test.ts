// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose ${…} syntax is the test data
import { describe, expect, it } from 'vitest';
import { DOKPLOY_TEMPLATE_TOML, ENV_EXAMPLE, templateEnvLines } from '../../test/helpers.js';
import { SelfhostValidationError } from '../errors.js';
import { envEntries, findDuplicateKeys, parseEnv, toEnvRecord } from './parse.js';
import { serializeEnv } from './serialize.js';

const value = (text: string, key: string) => toEnvRecord(parseEnv(text))[key];

/**
 * compose-go's own expectations (dotenv/godotenv_test.go, TestParsing and the quoted/plain
 * fixtures, at e70e961): the dialect docker compose reads a .env file in.
 */
const COMPOSE_GO_CASES: [string, string, string][] = [
  ['FOO=bar', 'FOO', 'bar'],
  ['FOO =bar', 'FOO', 'bar'],
  ['FOO= bar', 'FOO', 'bar'],
  ['FOO="bar"', 'FOO', 'bar'],
  ["FOO='bar'", 'FOO', 'bar'],
  ['FOO="escaped\\"bar"', 'FOO', 'escaped"bar'],
  ['FOO="\\"quoted\\""', 'FOO', '"quoted"'],
  [`FOO="'d'"`, 'FOO', "'d'"],
  ['OPTION_A: 1', 'OPTION_A', '1'],
  ['OPTION_A: Foo=bar', 'OPTION_A', 'Foo=bar'],
  ['OPTION_A=1:B', 'OPTION_A', '1:B'],
  ['export OPTION_A=2', 'OPTION_A', '2'],
  ["export OPTION_B='\\n'", 'OPTION_B', '\\n'],
  ['export exportFoo=2', 'exportFoo', '2'],
  ['exportFOO=2', 'exportFOO', '2'],
  ['export_FOO =2', 'export_FOO', '2'],
  ['export.FOO= 2', 'export.FOO', '2'],
  ['export\tOPTION_A=2', 'OPTION_A', '2'],
  ['  export OPTION_A=2', 'OPTION_A', '2'],
  ['\texport OPTION_A=2', 'OPTION_A', '2'],
  ['export OPTION_A="export A"', 'OPTION_A', 'export A'],
  ['FOO="bar\\nbaz"', 'FOO', 'bar\nbaz'],
  ['FOO=a\\tb', 'FOO', 'a\\tb'],
  ['FOO="a\\tb"', 'FOO', 'a\tb'],
  ['KEY="Z\\aZ\\bZ\\fZ\\nZ\\rZ\\tZ\\vZ\\\\Z\\0123Z"', 'KEY', 'Z\x07Z\bZ\fZ\nZ\rZ\tZ\vZ\\ZSZ'],
  ['FOO.BAR=foobar', 'FOO.BAR', 'foobar'],
  ['FOO=foobar=', 'FOO', 'foobar='],
  ['FOO=bar ', 'FOO', 'bar'],
  ['FOO=bar # this is foo', 'FOO', 'bar'],
  ['FOO=bar #this is foo', 'FOO', 'bar'],
  ['FOO=bar #', 'FOO', 'bar'],
  ['FOO=123#not-an-inline-comment', 'FOO', '123#not-an-inline-comment'],
  ['FOO="bar#baz"', 'FOO', 'bar#baz'],
  ['FOO="bar#baz"#', 'FOO', 'bar#baz'],
  ['FOO="bar#baz" # comment', 'FOO', 'bar#baz'],
  ["FOO='bar#baz' # comment", 'FOO', 'bar#baz'],
  ['FOO="bar#baz#bang" # comment', 'FOO', 'bar#baz#bang'],
  ['FOO="ba#r"', 'FOO', 'ba#r'],
  ["FOO='ba#r'", 'FOO', 'ba#r'],
  ['FOO="bar\\n\\ b\\az"', 'FOO', 'bar\n\\ b\x07z'],
  ['FOO="bar\\\\\\n\\ b\\az"', 'FOO', 'bar\\\n\\ b\x07z'],
  ['FOO="bar\\\\r\\ b\\az"', 'FOO', 'bar\\r\\ b\x07z'],
  ['FOO="bar\\nbaz\\\\"', 'FOO', 'bar\nbaz\\'],
  [' KEY =value', 'KEY', 'value'],
  ['   KEY=value', 'KEY', 'value'],
  ['\tKEY=value', 'KEY', 'value'],
  ['KEY="\\0123"', 'KEY', 'S'],
  ['KEY="\\x07"', 'KEY', '\\x07'],
  ['KEY="\\u12e4"', 'KEY', '\\u12e4'],
  ['456 = ABC', '456', 'ABC'],
  ['OPTION_F = ', 'OPTION_F', ''],
  ["OPTION_K='Let\\'s go!'", 'OPTION_K', "Let's go!"],
  ["OPTION_D='\\n'", 'OPTION_D', '\\n'],
  ['OPTION_H="\\n"', 'OPTION_H', '\n'],
  [`OPTION_I = "echo 'asd'" # Inline comment`, 'OPTION_I', "echo 'asd'"],
  ['OPTION_H = my string # Inline comment', 'OPTION_H', 'my string'],
  [
    "OPTION_J = 'first line\nsecond line\nthird line\nand so on'",
    'OPTION_J',
    'first line\nsecond line\nthird line\nand so on',
  ],
];

describe('parseEnv: docker compose semantics', () => {
  it.each(COMPOSE_GO_CASES)('%j gives %s = %j', (text, key, expected) => {
    const doc = parseEnv(text);
    expect(doc.issues).toEqual([]);
    expect(toEnvRecord(doc)[key]).toBe(expected);
    expect(serializeEnv(doc)).toBe(text);
  });

  it('interpolates unquoted and double-quoted values from earlier lines, never single-quoted ones', () => {
    const text = 'A=1\nB=$A\nC="${A}x"\nD=\'$A\'\nE=${Z:-dflt}\nF=$$A\nG="\\$A"\nH=${A:+set}\n';
    const env = toEnvRecord(parseEnv(text));
    expect(env).toMatchObject({ B: '1', C: '1x', D: '$A', E: 'dflt', F: '$A', G: '$A', H: 'set' });
    expect(envEntries(parseEnv(text)).find((e) => e.key === 'C')?.references).toEqual(['A']);
  });

  it('warns about undefined references: compose substitutes an empty string', () => {
    const doc = parseEnv('POSTGRES_PASSWORD=abc$defg\n');
    expect(toEnvRecord(doc).POSTGRES_PASSWORD).toBe('abc');
    expect(doc.issues).toEqual([
      expect.objectContaining({ kind: 'undefined-reference', key: 'POSTGRES_PASSWORD', line: 1 }),
    ]);
    // the message names the variable, never the value
    expect(doc.issues[0]?.message).not.toContain('abc');
  });

  it('reports expressions compose refuses, and keeps them verbatim without interpolation', () => {
    const doc = parseEnv('A=${password:32}\nB=${NEED:?set it}\nC=${\n');
    expect(doc.issues.map((i) => i.kind)).toEqual([
      'invalid-interpolation',
      'required-reference',
      'invalid-interpolation',
    ]);
    expect(toEnvRecord(parseEnv('A=${password:32}', { interpolate: false })).A).toBe(
      '${password:32}',
    );
  });

  it('lets predefined values (compose process env, Dokploy APP_NAME) win over the file', () => {
    const env = toEnvRecord(
      parseEnv('APP_NAME=x\nNAME=$APP_NAME\nINHERITED\n', {
        predefined: { APP_NAME: 'shop-supabase-abc123', INHERITED: 'from-process' },
      }),
    );
    expect(env.NAME).toBe('shop-supabase-abc123');
    expect(env.INHERITED).toBe('from-process');
  });

  it('keeps multi-line quoted values as one entry spanning its lines', () => {
    const text = 'A=1\nKEY="line one\nline two"\nB=2\n';
    const doc = parseEnv(text);
    const entry = envEntries(doc).find((e) => e.key === 'KEY');
    expect(entry).toMatchObject({
      value: 'line one\nline two',
      line: 2,
      endLine: 3,
      quote: 'double',
    });
    expect(envEntries(doc).find((e) => e.key === 'B')?.line).toBe(4);
    expect(serializeEnv(doc)).toBe(text);
  });

  it('reads CRLF files: values without \\r, eol detected, bytes kept', () => {
    const text = 'A=1\r\nB="two"\r\n# c\r\nC=3 # x\r\n';
    const doc = parseEnv(text);
    expect(toEnvRecord(doc)).toEqual({ A: '1', B: 'two', C: '3' });
    expect(doc.eol).toBe('\r\n');
    expect(doc.finalNewline).toBe(true);
    expect(serializeEnv(doc)).toBe(text);
  });

  const singleLine = COMPOSE_GO_CASES.filter(([text]) => !text.includes('\n'));
  it.each(singleLine)('%j on a CRLF line reads as on an LF line', (text, key, expected) => {
    for (const crlf of [`${text}\r\n`, `A=1\r\n${text}\r\nZ=2\r\n`]) {
      const doc = parseEnv(crlf);
      expect(doc.issues).toEqual([]);
      expect(toEnvRecord(doc)[key]).toBe(expected);
      expect(serializeEnv(doc)).toBe(crlf);
    }
  });

  it('accepts a comment after a closing quote on a CRLF line (and any character in it)', () => {
    const text = 'A="v" # c\r\nB=\'w\'#c\r\nC="x"\t \r\nD="a\u2028" # b\u2028c\r\n';
    const doc = parseEnv(text);
    expect(doc.issues).toEqual([]);
    expect(toEnvRecord(doc)).toEqual({ A: 'v', B: 'w', C: 'x', D: 'a\u2028' });
    expect(doc.nodes.map((n) => n.kind)).toEqual(['entry', 'entry', 'entry', 'entry']);
    expect(serializeEnv(doc)).toBe(text);
  });

  it('reads every line of a CRLF file as the same line of the LF file', () => {
    const lf = 'export\nexport FOO\nexport \nK\n \n#c\nB="x" # c\nC="x" D=2\nE=1 #x\n';
    const crlf = lf.replaceAll('\n', '\r\n');
    const a = parseEnv(lf);
    const b = parseEnv(crlf);
    expect(b.issues).toEqual(a.issues);
    expect(toEnvRecord(b)).toEqual(toEnvRecord(a));
    expect(b.nodes.map((n) => [n.kind, n.line])).toEqual(a.nodes.map((n) => [n.kind, n.line]));
    expect(envEntries(b).map((e) => e.key)).toEqual(envEntries(a).map((e) => e.key));
    expect(serializeEnv(b)).toBe(crlf);
  });

  it('keeps the \\r of CRLF inside a multi-line quoted value, as docker compose does', () => {
    const text = "A='one\r\ntwo' # c\r\nB=2\r\n";
    const doc = parseEnv(text);
    expect(doc.issues).toEqual([]);
    expect(toEnvRecord(doc)).toEqual({ A: 'one\r\ntwo', B: '2' });
    expect(envEntries(doc)[1]?.line).toBe(3);
    expect(serializeEnv(doc)).toBe(text);
  });

  it('notes a missing final newline and a UTF-8 byte order mark', () => {
    const doc = parseEnv('\uFEFFA=1\nB=2');
    expect(toEnvRecord(doc)).toEqual({ A: '1', B: '2' });
    expect(doc.finalNewline).toBe(false);
    expect(doc.eol).toBe('\n');
    expect(serializeEnv(doc)).toBe('\uFEFFA=1\nB=2');
  });

  it('detects duplicate keys; the last one wins as in compose', () => {
    const doc = parseEnv('A=1\nB=2\nA=3\nA=4\n');
    expect(toEnvRecord(doc).A).toBe('4');
    expect(findDuplicateKeys(doc)).toEqual([{ key: 'A', lines: [1, 3, 4] }]);
    expect(doc.issues.filter((i) => i.kind === 'duplicate-key').map((i) => i.line)).toEqual([3, 4]);
  });

  it('reads empty values in every form', () => {
    expect(toEnvRecord(parseEnv('A=\nB=""\nC=\'\'\nD= \n'))).toEqual({
      A: '',
      B: '',
      C: '',
      D: '',
    });
  });

  it('turns lines compose refuses into invalid nodes and keeps their text', () => {
    const text = 'GOOD=1\nnot a line\nB="x" C=2\n=value\nK-Y!=1\nLAST=ok\nA="open';
    const doc = parseEnv(text);
    expect(doc.nodes.map((n) => n.kind)).toEqual([
      'entry',
      'invalid',
      'invalid',
      'invalid',
      'invalid',
      'entry',
      'invalid',
    ]);
    expect(doc.issues.map((i) => [i.kind, i.line])).toEqual([
      ['invalid-line', 2],
      ['text-after-quote', 3],
      ['invalid-line', 4],
      ['invalid-line', 5],
      ['unterminated-quote', 7],
    ]);
    expect(toEnvRecord(doc)).toEqual({ GOOD: '1', LAST: 'ok' });
    expect(serializeEnv(doc)).toBe(text);
  });

  it('turns the same refused lines of a CRLF file into the same invalid nodes', () => {
    const text = 'GOOD=1\r\nnot a line\r\nB="x" C=2\r\n=value\r\nK-Y!=1\r\nLAST=ok\r\nA="open';
    const doc = parseEnv(text);
    const lf = parseEnv(text.replaceAll('\r\n', '\n'));
    expect(doc.nodes.map((n) => n.kind)).toEqual(lf.nodes.map((n) => n.kind));
    expect(doc.issues).toEqual(lf.issues);
    expect(doc.issues.map((i) => i.kind)).toContain('text-after-quote');
    expect(toEnvRecord(doc)).toEqual({ GOOD: '1', LAST: 'ok' });
    expect(serializeEnv(doc)).toBe(text);
  });

  it('reads a bare KEY as inherited from the process environment, with a warning', () => {
    const doc = parseEnv('export FOO\nBAR=1\n');
    expect(envEntries(doc)[0]).toMatchObject({ key: 'FOO', inherited: true, exported: true });
    expect(toEnvRecord(doc)).toEqual({ BAR: '1' });
    expect(doc.issues[0]).toMatchObject({ kind: 'inherited-key', key: 'FOO' });
  });

  it('records where each value is written, for edits', () => {
    const doc = parseEnv('export  KEY = "v" # note\n');
    const entry = envEntries(doc)[0];
    expect(entry).toMatchObject({ exported: true, quote: 'double', separator: '=' });
    expect(entry?.raw.slice(entry.valueStart, entry.valueEnd)).toBe('"v"');
  });

  it('round-trips upstream .env.example and the Dokploy template env byte for byte', () => {
    const doc = parseEnv(ENV_EXAMPLE);
    expect(serializeEnv(doc)).toBe(ENV_EXAMPLE);
    expect(doc.issues).toEqual([]);
    expect(toEnvRecord(doc).MAILER_URLPATHS_INVITE).toBe('/auth/v1/verify');
    expect(toEnvRecord(doc).STUDIO_DEFAULT_ORGANIZATION).toBe('Default Organization');
    const template = templateEnvLines().join('\n');
    expect(DOKPLOY_TEMPLATE_TOML).toContain('[config]');
    const tdoc = parseEnv(template, { interpolate: false });
    expect(serializeEnv(tdoc)).toBe(template);
    expect(toEnvRecord(tdoc).ANON_KEY).toBe('${jwt:jwt_secret:anon_key_payload}');
  });

  it('round-trips arbitrary text, including garbage and binary', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const alphabet = 'AB_=#"\'\\$ {}:\n\r\t\u00e9xport\u0000';
    for (let round = 0; round < 300; round++) {
      let text = '';
      const length = rand() % 80;
      for (let i = 0; i < length; i++) text += alphabet[rand() % alphabet.length];
      expect(serializeEnv(parseEnv(text))).toBe(text);
    }
  });

  it('parses random LF text and its CRLF form alike, and round-trips both', () => {
    let seed = 11;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const alphabet = 'AB_=#"\' $:\n\t\u00e9xport\u2028';
    for (let round = 0; round < 300; round++) {
      let lf = '';
      const length = rand() % 60;
      for (let i = 0; i < length; i++) lf += alphabet[rand() % alphabet.length];
      const crlf = lf.replaceAll('\n', '\r\n');
      const a = parseEnv(lf);
      const b = parseEnv(crlf);
      expect(serializeEnv(b)).toBe(crlf);
      expect(b.issues).toEqual(a.issues);
      expect(b.nodes.map((n) => [n.kind, n.line, n.endLine])).toEqual(
        a.nodes.map((n) => [n.kind, n.line, n.endLine]),
      );
      // compose keeps the \r of a line break inside quotes
      const norm = (r: Record<string, string>) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.replaceAll('\r\n', '\n')]));
      expect(norm(toEnvRecord(b))).toEqual(toEnvRecord(a));
    }
  });

  it('validates its input', () => {
    expect(() => parseEnv(42 as unknown as string)).toThrow(SelfhostValidationError);
    expect(() => parseEnv('A=1', { interpolate: 'yes' } as never)).toThrow(SelfhostValidationError);
    expect(value('A=1', 'A')).toBe('1');
  });
});
