import { readFileSync } from 'node:fs';
import { defineLibraryConfig } from '@supaops/tsconfig/tsup';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };
const define = { __CLI_VERSION__: JSON.stringify(version) };

/**
 * zod's `z.locales` namespace drags its ~60 translations (a third of the keys chunk) into the
 * bundle; nothing here calls them, and zod's English messages are imported on their own. Only
 * `en` stays, so `keys check` parses and compiles a third less code at start.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build: {
    onLoad: (o: { filter: RegExp }, cb: () => { contents: string; loader: 'js' }) => void;
  }) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
      loader: 'js',
    }));
  },
};

export default [
  // the executable: bin.js, and the chunks each command loads with import() when it runs
  defineLibraryConfig({
    entry: { bin: 'src/bin.ts' },
    dts: false,
    // `keys check` must start within 3x a bare node: supabase-jwt and what it pulls in are
    // bundled (tree-shaken, one file for V8's compile cache) into the chunk only keys commands load.
    // @supaops/selfhost stays external: bundled, its one-file dist keeps the doctor's top-level
    // zod schemas and its pg-connect import even when only the env editor is used
    noExternal: ['@supaops/supabase-jwt', 'jose', 'zod', 'commander', 'picocolors'],
    splitting: true,
    esbuildPlugins: [zodEnglishOnly],
    clean: false,
    // commander and picocolors are CommonJS: their require() of node builtins needs a real one
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __supaopsRequire } from 'node:module';\nconst require = __supaopsRequire(import.meta.url);",
    },
    define,
  }),
  defineLibraryConfig({
    entry: { index: 'src/index.ts', 'output-schemas': 'src/output-schemas/index.ts' },
    clean: false,
    define,
  }),
];
