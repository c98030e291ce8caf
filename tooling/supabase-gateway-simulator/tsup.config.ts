import { defineLibraryConfig } from '@supaops/tsconfig/tsup';

export default defineLibraryConfig();
