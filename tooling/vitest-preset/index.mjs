// The vitest config every package uses. It lives apart from the test kit so that packages the
// test kit itself builds on (config, sandbox) can share it without a dependency cycle.

/**
 * A `unit` project (src/**\/*.test.ts) and an `integration` project (test/**\/*.test.ts),
 * with v8 coverage held at the project's standard (lines and functions 85%, branches 75%).
 * @param {import('./index.d.mts').PackageConfigOptions} [options]
 */
export function definePackageConfig(options = {}) {
  const thresholds = options.thresholds ?? { lines: 85, functions: 85, branches: 75 };
  return {
    test: {
      // `--project unit` on a package with only integration tests is not a failure; an empty
      // full run still fails, on the coverage thresholds and in the run-wide summary
      passWithNoTests: true,
      // the json report feeds the run's closing `N passed, N failed` line
      reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
      coverage: {
        provider: 'v8',
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
            ...(options.globalSetup?.length ? { globalSetup: options.globalSetup } : {}),
          },
        },
      ],
    },
  };
}
