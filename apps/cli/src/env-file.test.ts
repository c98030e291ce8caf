import { describe, expect, it } from 'vitest';
import { applyEnvChanges, formatEnvText, formatEnvValue } from './env-file.js';

describe('formatEnvValue', () => {
  it('leaves safe values bare and quotes the rest so a .env parser reads them back', () => {
    expect(formatEnvValue('eyJhbGciOi.abc-_.def')).toBe('eyJhbGciOi.abc-_.def');
    expect(formatEnvValue('[{"kty":"EC"}]')).toBe(`'[{"kty":"EC"}]'`);
    expect(formatEnvValue('has space')).toBe(`'has space'`);
    expect(formatEnvValue(`it's "x"`)).toBe(`"it's \\"x\\""`);
    expect(formatEnvValue('a\nb')).toBe('"a\\nb"');
    expect(formatEnvValue('plain', "'")).toBe(`'plain'`);
    expect(formatEnvValue(`it's`, "'")).toBe(`"it's"`);
    expect(formatEnvValue('x"y', '"')).toBe('"x\\"y"');
  });

  it('formatEnvText writes one KEY=value line per variable', () => {
    expect(formatEnvText({ A: '1', B: 'two words' })).toBe("A=1\nB='two words'\n");
  });
});

describe('applyEnvChanges', () => {
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
    const out = applyEnvChanges(`${text}\n`, {
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
    const crlf = 'A=1\r\nB=2';
    expect(applyEnvChanges(crlf, { B: '3', C: '{"k":1}' })).toBe(`A=1\r\nB=3\r\nC='{"k":1}'\r\n`);
    expect(applyEnvChanges('', { A: 'x' })).toBe('A=x\n');
    expect(applyEnvChanges('A=1\n', {})).toBe('A=1\n');
  });

  it('replaces every assignment of a repeated variable', () => {
    expect(applyEnvChanges('A=1\nA=2\n', { A: '3' })).toBe('A=3\nA=3\n');
  });
});
