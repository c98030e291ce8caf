import { describe, expect, it } from 'vitest';
import { describeEnvProblems, diagnoseEnv } from './env-check.js';
import { DokployInputError } from './errors.js';

describe('diagnoseEnv', () => {
  it('accepts KEY=VALUE lines, comments, blanks, export and CRLF', () => {
    expect(diagnoseEnv('A=1\r\n# note\n\nexport B = two\nC=')).toEqual({
      readable: true,
      looksEncrypted: false,
      entries: 3,
      problems: [],
    });
    expect(diagnoseEnv(null)).toMatchObject({ readable: true, entries: 0 });
    expect(diagnoseEnv('')).toMatchObject({ readable: true, entries: 0 });
  });

  it('accepts quoted values spanning lines, with escaped quotes inside double quotes', () => {
    const pem = 'KEY="-----BEGIN-----\nabc\\"def\n-----END-----"\nNEXT=1';
    expect(diagnoseEnv(pem)).toMatchObject({ readable: true, entries: 2 });
    expect(diagnoseEnv("S='one\ntwo'")).toMatchObject({ readable: true, entries: 1 });
    expect(diagnoseEnv('Q="closed" # comment')).toMatchObject({ readable: true });
  });

  it('spots Dokploy ciphertext without echoing it', () => {
    const cipher = `enc:v1:${Buffer.alloc(64, 7).toString('base64')}`;
    const d = diagnoseEnv(cipher);
    expect(d).toMatchObject({ readable: false, looksEncrypted: true, entries: 0 });
    expect(d.problems[0]?.preview).toBe(`${cipher.slice(0, 4)}…${cipher.slice(-4)}`);
    expect(describeEnvProblems(d.problems)).toMatch(/^line 1: Dokploy ciphertext/);
  });

  it('reports lines that are not KEY=VALUE and unterminated quotes, at most five', () => {
    const d = diagnoseEnv('A=1\njust some text\nB="open\nC=3');
    expect(d.readable).toBe(false);
    expect(d.problems.map((p) => [p.line, p.reason])).toEqual([
      [2, 'not a KEY=VALUE line'],
      [3, 'the double-quoted value is never closed'],
    ]);
    expect(d.problems[0]?.preview).toBe('***');
    expect(diagnoseEnv(Array.from({ length: 9 }, () => 'x').join('\n')).problems).toHaveLength(5);
    expect(() => diagnoseEnv(5 as never)).toThrow(DokployInputError);
  });
});
