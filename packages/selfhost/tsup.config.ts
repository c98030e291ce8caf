import { defineLibraryConfig } from '@supaops/tsconfig/tsup';

// the env contract is its own entry so `@supaops/selfhost/env` loads no Dokploy or pg client
export default defineLibraryConfig({ entry: ['src/index.ts', 'src/env/index.ts'] });
