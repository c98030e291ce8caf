import { readFileSync } from 'node:fs';
import { defineLibraryConfig } from '@supaops/tsconfig/tsup';

const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };
const define = { __CLI_VERSION__: JSON.stringify(version) };

export default [
  // the executable: one file, libraries loaded by each command's dynamic import()
  defineLibraryConfig({
    entry: { bin: 'src/bin.ts' },
    dts: false,
    splitting: false,
    clean: false,
    banner: { js: '#!/usr/bin/env node' },
    define,
  }),
  defineLibraryConfig({
    entry: { index: 'src/index.ts', 'output-schemas': 'src/output-schemas/index.ts' },
    clean: false,
    define,
  }),
];
