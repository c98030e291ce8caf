import { describe, expect, it } from 'vitest';
import { TestkitError } from './errors.js';
import { findPgBinaries } from './postgres-cluster.js';

describe('findPgBinaries (the kit over @supaops/sandbox)', () => {
  it('turns the sandbox error into the kit error with the TEST_DATABASE_URL way out', () => {
    let caught: unknown;
    try {
      findPgBinaries({
        env: { PATH: '/nonexistent', PG_BIN: '/nope' },
        debianRoots: ['/also-nope'],
        resolveModule: () => {
          throw new Error('not installed');
        },
      });
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
