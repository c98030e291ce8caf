import { definePackageConfig } from '@supaops/testkit/vitest';
import { defineConfig } from 'vitest/config';

// The S3 server needs no PostgreSQL.
export default defineConfig(definePackageConfig({ postgres: false }));
