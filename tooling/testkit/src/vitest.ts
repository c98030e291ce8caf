import { fileURLToPath } from 'node:url';
import {
  definePackageConfig as definePreset,
  type PackageConfigOptions as PresetOptions,
} from '@supaops/vitest-preset';
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

export interface PackageConfigOptions extends Omit<PresetOptions, 'globalSetup'> {
  /** Whether the package has integration tests that need PostgreSQL. */
  postgres?: boolean;
}

export const globalSetupPath = fileURLToPath(new URL('./global-setup.js', import.meta.url));

/**
 * The shared preset (`@supaops/vitest-preset`) with the test kit's PostgreSQL as the
 * integration project's global setup, unless `postgres: false`.
 */
export function definePackageConfig(options: PackageConfigOptions = {}): ViteUserConfig {
  const { postgres, ...preset } = options;
  return definePreset({
    ...preset,
    ...(postgres === false ? {} : { globalSetup: [globalSetupPath] }),
  });
}
