import {
  assertEnvWritable,
  formatEnvValue,
  parseEnv,
  setEnvValues,
  toEnvRecord,
} from '@supaops/selfhost/env';
import { describe, expect, it } from 'vitest';

// What `keys generate` and `keys repair --write` rely on from @supaops/selfhost (the CLI's own
// .env editor, src/env-file.ts, was replaced by it; these are its former assertions).

const readBack = (text: string) => toEnvRecord(parseEnv(text));

describe('formatEnvValue', () => {
  it('leaves safe values bare and quotes the rest so a .env parser reads them back', () => {
    expect(formatEnvValue('eyJhbGciOi.abc-_.def')).toBe('eyJhbGciOi.abc-_.def');
    for (const value of ['[{"kty":"EC"}]', 'has space', `it's "x"`, 'a\nb', 'x"y', `it's`]) {
      expect(readBack(`V=${formatEnvValue(value)}\n`).V).toBe(value);
    }
    expect(formatEnvValue('a\nb')).toBe('"a\\nb"');
    expect(formatEnvValue('plain', 'single')).toBe(`'plain'`);
    expect(formatEnvValue('[{"kty":"EC"}]', 'single')).toBe(`'[{"kty":"EC"}]'`);
    expect(formatEnvValue(`it's`, 'single')).not.toMatch(/^'/);
    expect(formatEnvValue('x"y', 'double')).toBe('"x\\"y"');
  });
});

describe('setEnvValues', () => {
  const text = [
    '# Secrets',
    'JWT_SECRET=old-secret # keep this comment',
    'export ANON_KEY="old.anon"',
    "SERVICE_ROLE_KEY='old.service'",
    '',
    'POSTGRES_HOST=db',
    'JWT_EXPIRY=3600',
  ].join('\n');

  it('replaces only the changed values, keeping quotes, export, comments and other lines', () => {
    const out = setEnvValues(`${text}\n`, {
      JWT_SECRET: 'new-secret',
      ANON_KEY: 'new.anon',
      SERVICE_ROLE_KEY: 'new.service',
    });
    expect(out).toBe(
      [
        '# Secrets',
        'JWT_SECRET=new-secret # keep this comment',
        'export ANON_KEY="new.anon"',
        "SERVICE_ROLE_KEY='new.service'",
        '',
        'POSTGRES_HOST=db',
        'JWT_EXPIRY=3600',
        '',
      ].join('\n'),
    );
  });

  it('appends variables the file lacks, and keeps CRLF line endings', () => {
    // a missing final newline stays missing (selfhost keeps the file's shape)
    const crlf = setEnvValues('A=1\r\nB=2', { B: '3', C: '{"k":1}' });
    expect(crlf).toMatch(/^A=1\r\nB=3\r\nC=/);
    expect(crlf).not.toMatch(/[^\r]\n/);
    expect(readBack(crlf)).toEqual({ A: '1', B: '3', C: '{"k":1}' });
    expect(setEnvValues('', { A: 'x' })).toBe('A=x\n');
    expect(setEnvValues('A=1\n', {})).toBe('A=1\n');
  });

  it('replaces every assignment of a repeated variable', () => {
    expect(setEnvValues('A=1\nA=2\n', { A: '3' })).toBe('A=3\nA=3\n');
  });

  it('refuses Dokploy ciphertext instead of writing garbage back', () => {
    const ciphertext = `enc:v1:${Buffer.alloc(48, 7).toString('base64')}`;
    expect(() => assertEnvWritable(ciphertext)).toThrow(/encrypted text/);
    expect(() => setEnvValues(ciphertext, { JWT_SECRET: 'x' })).toThrow(/encrypted text/);
  });
});
