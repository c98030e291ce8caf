import { definePackageConfig } from '@supaops/testkit/vitest';
import { defineConfig } from 'vitest/config';

const config = definePackageConfig({ integrationTimeout: 60_000 });
// The integration tests run the built binary as a subprocess: its coverage (mapped back to src/
// through dist's source maps) is collected through NODE_V8_COVERAGE.
if (config.test?.coverage) {
  Object.assign(config.test.coverage, { autoAttachSubprocess: true });
}

export default defineConfig(config);
