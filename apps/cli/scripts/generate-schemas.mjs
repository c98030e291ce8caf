// Writes schemas/<command>.schema.json from the zod output schemas (run `pnpm build` first).
// src/output-schemas/schemas.test.ts fails when the files here are out of date.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { schemaFiles } from '../dist/output-schemas.js';

const dir = fileURLToPath(new URL('../schemas/', import.meta.url));
mkdirSync(dir, { recursive: true });
const files = schemaFiles();
for (const name of readdirSync(dir)) {
  if (name.endsWith('.schema.json') && !(name in files)) rmSync(new URL(name, `file://${dir}`));
}
for (const [name, content] of Object.entries(files)) writeFileSync(`${dir}${name}`, content);
console.log(`wrote ${Object.keys(files).length} schemas to ${dir}`);
