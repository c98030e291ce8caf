import { definePackageConfig } from '@supaops/testkit/vitest';
import { defineConfig } from 'vitest/config';

// The database tests need the test kit's PostgreSQL; the rest runs on loopback HTTP only.
export default defineConfig(definePackageConfig({ postgres: true }));
