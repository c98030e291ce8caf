import { definePackageConfig } from '@supaops/vitest-preset';
import { defineConfig } from 'vitest/config';

export default defineConfig(
  definePackageConfig({ coverageExclude: ['src/**/*.test-helper.ts', 'src/types.ts'] }),
);
