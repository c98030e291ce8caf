import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, inject } from 'vitest';
import type { ViteUserConfig } from 'vitest/config';
import { createTestDatabase, type TestDatabase, type TestServerInfo } from './test-server.js';

export type { TestServerInfo } from './test-server.js';

/** The shared server of this run, provided by the testkit's globalSetup. */
export function testServer(): TestServerInfo {
  const info = inject('supaopsPg');
  if (!info) {
    throw new Error(
      'No test PostgreSQL was provided. Fix: add the testkit globalSetup to the integration project (definePackageConfig does this).',
    );
  }
  return info;
}

/**
 * Gives the calling test file its own database, copied from the bootstrapped template,
 * created before its tests and dropped after them. Read `.current` inside tests.
 */
export function useTestDatabase(label = 'test'): { readonly current: TestDatabase } {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(testServer(), label);
  });
  afterAll(async () => {
    await db?.drop();
  });
  return {
    get current(): TestDatabase {
      if (!db) throw new Error('useTestDatabase(): read .current inside a test or hook');
      return db;
    },
  };
}

export interface PackageConfigOptions {
  /** Whether the package has integration tests that need PostgreSQL. */
  postgres?: boolean;
  /** Coverage thresholds; the project standard is the default. */
  thresholds?: { lines: number; functions: number; branches: number; statements?: number };
  /** Files left out of coverage (benchmarks, type-only files). */
  coverageExclude?: string[];
  integrationTimeout?: number;
}

export const globalSetupPath = fileURLToPath(new URL('./global-setup.js', import.meta.url));

/**
 * The vitest config every package uses: a `unit` project (src/**\/*.test.ts) and an
 * `integration` project (test/**\/*.test.ts) that gets a real PostgreSQL, with v8 coverage
 * held at the project's standard (lines and functions 85%, branches 75%).
 */
export function definePackageConfig(options: PackageConfigOptions = {}): ViteUserConfig {
  const thresholds = options.thresholds ?? { lines: 85, functions: 85, branches: 75 };
  return {
    test: {
      // `--project unit` on a package with only integration tests is not a failure; an empty
      // full run still fails, on the coverage thresholds and in the run-wide summary
      passWithNoTests: true,
      // the json report feeds the run's closing `N passed, N failed` line
      reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
      coverage: {
        provider: 'v8' as const,
        include: ['src/**/*.ts'],
        exclude: ['src/**/*.test.ts', 'src/**/index.ts', ...(options.coverageExclude ?? [])],
        reporter: ['text-summary', 'json-summary'],
        thresholds,
      },
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            include: ['src/**/*.test.ts'],
          },
        },
        {
          extends: true,
          test: {
            name: 'integration',
            include: ['test/**/*.test.ts'],
            testTimeout: options.integrationTimeout ?? 60_000,
            hookTimeout: 120_000,
            ...(options.postgres === false ? {} : { globalSetup: [globalSetupPath] }),
          },
        },
      ],
    },
  };
}
