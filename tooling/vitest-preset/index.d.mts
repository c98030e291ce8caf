import type { ViteUserConfig } from 'vitest/config';

export interface PackageConfigOptions {
  /** Coverage thresholds; the project standard is the default. */
  thresholds?: { lines: number; functions: number; branches: number; statements?: number };
  /** Files left out of coverage (benchmarks, type-only files). */
  coverageExclude?: string[];
  integrationTimeout?: number;
  /** globalSetup files of the integration project. */
  globalSetup?: string[];
}

export function definePackageConfig(options?: PackageConfigOptions): ViteUserConfig;
