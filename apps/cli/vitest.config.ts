import { definePackageConfig } from '@supaops/testkit/vitest';
import { defineConfig } from 'vitest/config';

const config = definePackageConfig({ integrationTimeout: 60_000 });
// The integration tests run the built binary as a subprocess. Its coverage is collected through
// NODE_V8_COVERAGE (autoAttachSubprocess), kept for dist/*.js (bin.js and its chunks), then mapped back to src/ through
// the bundle's source map; only src/ is reported (excludeAfterRemap).
if (config.test?.coverage) {
  const coverage = config.test.coverage as { include?: string[] };
  Object.assign(coverage, {
    autoAttachSubprocess: true,
    include: [...(coverage.include ?? ['src/**/*.ts']), 'dist/*.js'],
    excludeAfterRemap: true,
  });
}

export default defineConfig(config);
