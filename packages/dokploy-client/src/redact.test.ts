import { describe, expect, it } from 'vitest';
import { envEntries, isSecretEnvKey, maskSecret, Redactor, redactEnv } from './redact.js';

describe('redaction helpers', () => {
  it('masks long secrets to first/last 4 and short ones fully', () => {
    expect(maskSecret('abcdefghijklmnopqrstuvwxyz')).toBe('abcd…wxyz');
    expect(maskSecret('short-secret')).toBe('***');
  });

  it('recognizes secret env keys', () => {
    for (const k of [
      'POSTGRES_PASSWORD',
      'JWT_SECRET',
      'ANON_KEY',
      'SERVICE_ROLE_KEY',
      'LOGFLARE_PRIVATE_ACCESS_TOKEN',
      'SMTP_PASS',
      'DATABASE_URL',
    ]) {
      expect(isSecretEnvKey(k)).toBe(true);
    }
    for (const k of ['POSTGRES_HOST', 'SITE_URL', 'SMTP_PORT'])
      expect(isSecretEnvKey(k)).toBe(false);
  });

  it('parses env lines, quotes and comments', () => {
    expect([...envEntries('# c\nA=1\nexport B="two"\nC=\'3\'\n\nbad line\nD = 4')]).toEqual([
      ['A', '1'],
      ['B', 'two'],
      ['C', '3'],
      ['D', '4'],
    ]);
  });

  it('redactEnv masks only secret values', () => {
    expect(
      redactEnv('POSTGRES_PASSWORD=abc123456\nPOSTGRES_HOST=db\nJWT_SECRET=\n# JWT_SECRET=x'),
    ).toBe('POSTGRES_PASSWORD=***\nPOSTGRES_HOST=db\nJWT_SECRET=\n# JWT_SECRET=x');
  });

  it('Redactor masks every occurrence, longest first, and ignores tiny values', () => {
    const r = new Redactor(['supersecretvalue', 'supersecretvalue-extended-0001']);
    r.add('abc'); // too short to track
    r.add(undefined);
    r.add('supersecretvalue'); // already tracked
    r.addEnv('DB_PASSWORD=hunter2hunter2\nPORT=5432\nANON_KEY=');
    r.addEnv(null);
    expect(r.size).toBe(3);
    expect(
      r.redact('x supersecretvalue-extended-0001 y supersecretvalue z hunter2hunter2 abc'),
    ).toBe('x supe…0001 y *** z *** abc');
    expect(r.redact('')).toBe('');
    expect(new Redactor().redact('nothing')).toBe('nothing');
  });

  it('keeps a bounded set of secrets', () => {
    const r = new Redactor();
    for (let i = 0; i < 2_100; i++) r.add(`secret-value-${i}`);
    expect(r.size).toBe(2_000);
    expect(r.redact('secret-value-2099')).toBe('***');
    expect(r.redact('secret-value-0')).toBe('secret-value-0');
  });

  it('escapes regex characters in secrets', () => {
    const r = new Redactor(['a.b*c+d?e(f)']);
    expect(r.redact('a.b*c+d?e(f) aXb')).toBe('*** aXb');
  });
});
