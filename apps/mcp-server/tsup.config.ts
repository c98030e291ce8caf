import { defineLibraryConfig } from '@supaops/tsconfig/tsup';

// The executable is one bundle with the MCP SDK, zod and @supaops/config inside: a cold start
// then evaluates a few files instead of several hundred modules (measured: tools/list in about
// half the time). The libraries the tools call stay external and are loaded with import() on
// first use. The library entry (index) keeps every dependency external, as libraries do.
const BUNDLED = [
  '@modelcontextprotocol/sdk',
  'zod',
  '@supaops/config',
  'env-paths',
  /^ajv/,
  'fast-deep-equal',
  'fast-uri',
  'json-schema-traverse',
];

export default [
  defineLibraryConfig({ entry: ['src/index.ts'], clean: false }),
  defineLibraryConfig({
    entry: ['src/bin.ts'],
    dts: false,
    clean: false,
    minify: true,
    noExternal: BUNDLED,
    // bundled CommonJS dependencies (ajv) call require()
    banner: {
      js: "import { createRequire as __supaopsCreateRequire } from 'node:module';\nconst require = __supaopsCreateRequire(import.meta.url);",
    },
  }),
];
