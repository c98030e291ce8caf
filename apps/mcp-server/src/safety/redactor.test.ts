import { describe, expect, it } from 'vitest';
import { Redactor } from './redactor.js';

describe('Redactor', () => {
  it('hides known secrets and their percent-encoded form, in strings, keys and nested values', () => {
    const r = new Redactor();
    r.add(['s3cr3t/p@ss', undefined, 'abc']);
    const out = r.redact({
      a: 'x s3cr3t/p@ss y',
      b: [{ c: `url ${encodeURIComponent('s3cr3t/p@ss')}` }],
      's3cr3t/p@ss': 1,
      n: 5,
    });
    expect(JSON.stringify(out)).not.toContain('s3cr3t');
    expect(out).toEqual({ a: 'x *** y', b: [{ c: 'url ***' }], '***': 1, n: 5 });
    // too short to search for without mangling ordinary text
    expect(r.redactString('abc')).toBe('abc');
  });

  it('hides connection-string and key=value passwords of unknown secrets', () => {
    const r = new Redactor();
    expect(r.redactString('at postgres://u:hunter22@db:5432/x now')).toBe(
      'at postgres://u:***@db:5432/x now',
    );
    expect(r.redactString("host=db password='a b' user=x")).toBe('host=db password=*** user=x');
    r.useConnectionStringRedactor((url) => url.replace(/\/\/.*@/, '//[hidden]@'));
    expect(r.redactString('postgres://u:p@h/db')).toBe('postgres://[hidden]@h/db');
  });

  it('lets revealed values through for one call', () => {
    const r = new Redactor();
    r.add(['public-anon-key-value', 'service-key-value']);
    const text = 'public-anon-key-value service-key-value';
    expect(r.redactString(text, new Set(['public-anon-key-value']))).toBe(
      'public-anon-key-value ***',
    );
    expect(r.secrets).toContain('service-key-value');
  });

  it('prefers the longest secret when one contains another', () => {
    const r = new Redactor();
    r.add(['secret', 'secret-longer']);
    expect(r.redactString('secret-longer!')).toBe('***!');
  });
});
