import { definePackageConfig } from '@supaops/testkit/vitest';
import { defineConfig } from 'vitest/config';

// bin.ts only runs as a process (the stdio, HTTP and sandbox tests spawn dist/bin.js), where
// v8 coverage of the test run cannot see it.
export default defineConfig(definePackageConfig({ coverageExclude: ['src/bin.ts'] }));
