// Writes schema/supaops.config.schema.json from the built zod schema. Run after `pnpm build`;
// a unit test fails while the committed file differs from configJsonSchema().
import { writeFile } from 'node:fs/promises';
import { configJsonSchema } from '../dist/index.js';

const target = new URL('../schema/supaops.config.schema.json', import.meta.url);
await writeFile(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
