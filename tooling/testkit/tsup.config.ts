import { defineLibraryConfig } from '@supaops/tsconfig/tsup';

export default defineLibraryConfig({
  entry: ['src/index.ts', 'src/vitest.ts', 'src/global-setup.ts'],
  external: ['vitest', 'vitest/node', 'vitest/config', '@supaops/vitest-preset'],
});
