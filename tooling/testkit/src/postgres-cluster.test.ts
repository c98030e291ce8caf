import { describe, expect, it } from 'vitest';
import { TestkitError } from './errors.js';
import { findPgBinaries } from './postgres-cluster.js';

describe('findPgBinaries (the kit over @supaops/sandbox)', () => {
  it('turns the sandbox error into the kit error with the TEST_DATABASE_URL way out', () => {
    let caught: unknown;
    try {
      // any sandbox failure will do: which sources are searched is sandbox's own test
      findPgBinaries({ env: { PATH: '', PG_BIN: '/nope' }, debianRoots: [], only: 'system' });
    } catch (error) {
      caught = error;
    }
    expect(TestkitError.isInstance(caught)).toBe(true);
    expect((caught as TestkitError).code).toBe('PG_BINARIES_NOT_FOUND');
    expect((caught as Error).message).toMatch(/PG_BIN:\/nope/);
    expect((caught as Error).message).toMatch(/TEST_DATABASE_URL/);
  });

  it('maps every sandbox error, and finds real binaries', () => {
    expect(() => findPgBinaries({ prefer: 'nope' } as never)).toThrowError(
      /PG_VALIDATION_FAILED|Invalid/,
    );
    expect(findPgBinaries().dir).toMatch(/bin$/);
  });
});
