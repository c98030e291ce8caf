import { describe, expect, it } from 'vitest';
import { ENV_EXAMPLE, TRICKY_VALUES } from '../../test/helpers.js';
import { EnvCiphertextError, EnvSyntaxError, SelfhostValidationError } from '../errors.js';
import { editEnv, setEnvValues, unsetEnvKeys } from './edit.js';
import { parseEnv, toEnvRecord } from './parse.js';

const lines = (text: string) => text.split(/(?<=\n)/);

describe('setEnvValues', () => {
  it('rewrites only the named lines of env.example; every other byte is kept', () => {
    const next = setEnvValues(ENV_EXAMPLE, {
      SITE_URL: 'https://app.acme.dev',
      POOLER_TENANT_ID: '5b8f0c1e-1d2a-4c3b-9e8f-7a6b5c4d3e2f',
    });
    const before = lines(ENV_EXAMPLE);
    const after = lines(next);
    expect(after).toHaveLength(before.length);
    const changed = after.flatMap((line, i) => (line === before[i] ? [] : [i]));
    expect(changed.map((i) => after[i])).toEqual([
      'POOLER_TENANT_ID=5b8f0c1e-1d2a-4c3b-9e8f-7a6b5c4d3e2f\n',
      'SITE_URL=https://app.acme.dev\n',
    ]);
  });

  it('keeps export, spacing, quote style and inline comments of a rewritten line', () => {
    const text = 'export  A = "old" # keep me\nB=\'x\'\nC=plain # note\n';
    expect(setEnvValues(text, { A: 'new', B: 'y', C: 'has #hash' })).toBe(
      "export  A = \"new\" # keep me\nB='y'\nC='has #hash' # note\n",
    );
  });

  it('preserves CRLF and a missing final newline, and appends new keys in that style', () => {
    expect(setEnvValues('A=1\r\nB=2\r\n', { B: '3', C: '4' })).toBe('A=1\r\nB=3\r\nC=4\r\n');
    expect(setEnvValues('A=1\nB=2', { B: '3', C: '4', D: 'x y' })).toBe('A=1\nB=3\nC=4\nD=x y');
    expect(setEnvValues('A=1\r\nB=2', { C: '4' })).toBe('A=1\r\nB=2\r\nC=4');
    expect(setEnvValues('', { A: '1', B: '2' })).toBe('A=1\nB=2\n');
  });

  it('leaves a line untouched when it already has the value', () => {
    const text = 'A="same"\nB=plain\n';
    const result = editEnv(text, { set: { A: 'same', B: 'plain' } });
    expect(result.text).toBe(text);
    expect(result.unchanged.sort()).toEqual(['A', 'B']);
    expect(result.changed).toEqual([]);
  });

  it('rewrites a value whose written form interpolates, even if the literal matches', () => {
    // written "$$x" is read as "$x": setting "$$x" must write something that reads as "$$x"
    const next = setEnvValues('A=$$x\n', { A: '$$x' });
    expect(toEnvRecord(parseEnv(next)).A).toBe('$$x');
  });

  it('updates every line of a duplicated key', () => {
    expect(setEnvValues('A=1\nB=2\nA=3\n', { A: '9' })).toBe('A=9\nB=2\nA=9\n');
  });

  it('replaces a multi-line quoted value and a bare KEY', () => {
    expect(setEnvValues('K="a\nb"\nX=1\n', { K: 'one' })).toBe('K="one"\nX=1\n');
    expect(setEnvValues('export K  \nX=1\n', { K: 'v' })).toBe('export K=v\nX=1\n');
  });

  it.each(TRICKY_VALUES.map((v) => [v]))('writes %j so that compose reads it back', (value) => {
    for (const base of ['KEY=old\n', "KEY='old'\n", 'KEY="old"\n', 'OTHER=1']) {
      const next = setEnvValues(base, { KEY: value });
      const doc = parseEnv(next);
      expect(doc.issues).toEqual([]);
      expect(toEnvRecord(doc).KEY).toBe(value);
    }
  });

  it.each(TRICKY_VALUES.map((v) => [v]))(
    'writes %j into a CRLF file, keeping its CRLF',
    (value) => {
      const bases = [
        'KEY=old\r\n',
        "KEY='old'\r\n",
        'KEY="old"\r\n',
        'KEY="old" # note\r\n',
        "A=1\r\nKEY='old' # note\r\nB=2\r\n",
        'export KEY\r\n',
        'OTHER="x" # note\r\n',
      ];
      for (const base of bases) {
        const next = setEnvValues(base, { KEY: value });
        const doc = parseEnv(next);
        expect(doc.issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(toEnvRecord(doc).KEY).toBe(value);
        expect(next).toMatch(/\r\n$/);
        expect(next).not.toMatch(/(?<!\r)\n/);
      }
    },
  );

  it('rewrites a quoted value with an inline comment on a CRLF line', () => {
    expect(setEnvValues('A="v" # c\r\nB=2\r\n', { A: 'w' })).toBe('A="w" # c\r\nB=2\r\n');
    expect(setEnvValues("A='v'#c\r\nB=2\r\n", { B: '3' })).toBe("A='v'#c\r\nB=3\r\n");
    expect(unsetEnvKeys('A="v" # c\r\nB=2\r\n', ['A'])).toBe('B=2\r\n');
    expect(setEnvValues('export K  \r\nX=1\r\n', { K: 'v' })).toBe('export K=v\r\nX=1\r\n');
  });

  it('refuses ciphertext and unparseable text, invalid keys and NUL characters', () => {
    const ciphertext = `enc:v1:${Buffer.alloc(48, 7).toString('base64')}`;
    expect(() => setEnvValues(ciphertext, { A: '1' })).toThrow(EnvCiphertextError);
    expect(() => setEnvValues('A=1\nthis is not an env\n', { A: '2' })).toThrow(EnvSyntaxError);
    expect(() => setEnvValues('A=1\n', { 'BAD KEY': '2' })).toThrow(SelfhostValidationError);
    expect(() => setEnvValues('A=1\n', { A: 'nul\0' })).toThrow(SelfhostValidationError);
    expect(() => editEnv('A=1', { set: {}, extra: 1 } as never)).toThrow(SelfhostValidationError);
  });
});

describe('unsetEnvKeys', () => {
  it('removes every line of the keys and nothing else', () => {
    expect(unsetEnvKeys('A=1\n# c\nB=2\nA=3\nC=4\n', ['A'])).toBe('# c\nB=2\nC=4\n');
    expect(unsetEnvKeys('A=1\r\nB=2\r\n', ['B'])).toBe('A=1\r\n');
    expect(unsetEnvKeys('A=1\nB="x\ny"\n', ['B'])).toBe('A=1\n');
  });

  it('keeps a missing final newline missing when the last line goes', () => {
    expect(unsetEnvKeys('A=1\nB=2', ['B'])).toBe('A=1');
    expect(unsetEnvKeys('A=1\r\nB=2', ['B'])).toBe('A=1');
    expect(unsetEnvKeys('A=1', ['A'])).toBe('');
  });

  it('reports what an edit did', () => {
    const result = editEnv('A=1\nB=2\n', { set: { A: '5', C: '3' }, unset: ['B', 'Z'] });
    expect(result).toEqual({
      text: 'A=5\nC=3\n',
      changed: ['A'],
      added: ['C'],
      removed: ['B'],
      unchanged: [],
    });
  });
});
