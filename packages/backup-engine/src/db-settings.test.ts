import { describe, expect, it } from 'vitest';
import { diffSettings, setClause } from './db-settings.js';

describe('database settings', () => {
  it('writes SET clauses as pg_dump would: list settings split, others one literal', () => {
    expect(setClause('search_path="$user", public, extensions')).toBe(
      `SET "search_path" = '$user', 'public', 'extensions'`,
    );
    expect(setClause("app.settings.jwt_secret=it's=secret")).toBe(
      `SET "app.settings.jwt_secret" = 'it''s=secret'`,
    );
  });

  it('names differing scopes without their values (they may be secrets)', () => {
    const diff = diffSettings(
      [{ role: null, config: ['app.settings.jwt_secret=abc'] }],
      [{ role: 'anon', config: ['statement_timeout=3s'] }],
    );
    expect(diff).toEqual([
      'database settings: expected [app.settings.jwt_secret], found []',
      'role anon settings: expected [], found [statement_timeout]',
    ]);
    expect(diff.join(' ')).not.toContain('abc');
  });
});
