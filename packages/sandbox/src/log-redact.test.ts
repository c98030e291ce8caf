import { describe, expect, it } from 'vitest';
import { redactLogText } from './log-redact.js';

describe('redactLogText', () => {
  it('hides password=… values, quoted or not', () => {
    expect(redactLogText('host=h password=hunter2 user=u')).toBe('host=h password=*** user=u');
    expect(redactLogText("password = 'two words' dbname=x")).toBe('password = *** dbname=x');
    expect(redactLogText('PGPASSWORD: "quoted\\"value" next')).toBe('PGPASSWORD: *** next');
    expect(redactLogText('DB_PASSWORD=x1')).toBe('DB_PASSWORD=***');
    expect(redactLogText('{"password":"s3cret"}')).toBe('{"password":***}');
    expect(redactLogText('pwd=abc;next')).toBe('pwd=***;next');
  });

  it("hides SQL PASSWORD '…' literals, also unterminated ones", () => {
    expect(redactLogText("STATEMENT:  ALTER ROLE x PASSWORD 'it''s secret' VALID UNTIL 'y'")).toBe(
      "STATEMENT:  ALTER ROLE x PASSWORD '***' VALID UNTIL 'y'",
    );
    expect(redactLogText("CREATE ROLE x ENCRYPTED PASSWORD E'a\\'b'")).toBe(
      "CREATE ROLE x ENCRYPTED PASSWORD '***'",
    );
    expect(redactLogText("ALTER ROLE x PASSWORD 'cut off")).toBe("ALTER ROLE x PASSWORD '***'");
  });

  it('hides the password of a connection URL and given secrets, and leaves the rest', () => {
    expect(redactLogText('url postgres://admin:p%40ss@127.0.0.1:5432/db')).toBe(
      'url postgres://admin:***@127.0.0.1:5432/db',
    );
    expect(redactLogText('a Zm9vYmFyYmF6cXV4 b', ['Zm9vYmFyYmF6cXV4', 'short'])).toBe('a *** b');
    expect(redactLogText('a short b', ['short'])).toBe('a short b');
    const failed = 'FATAL:  password authentication failed for user "supabase_admin"';
    expect(redactLogText(failed)).toBe(failed);
  });
});
