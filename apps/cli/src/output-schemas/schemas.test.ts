import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { outputJsonSchema, schemaFiles } from './index.js';

const dir = fileURLToPath(new URL('../../schemas/', import.meta.url));

describe('schemas/*.schema.json', () => {
  it('are up to date with the zod output schemas (fix: pnpm build && pnpm schemas)', () => {
    const expected = schemaFiles();
    const onDisk = readdirSync(dir)
      .filter((f) => f.endsWith('.schema.json'))
      .sort();
    expect(onDisk).toEqual(Object.keys(expected).sort());
    for (const [name, content] of Object.entries(expected)) {
      // compared as data: Biome formats the committed files
      expect(JSON.parse(readFileSync(`${dir}${name}`, 'utf8')), name).toEqual(JSON.parse(content));
    }
  });

  it('carry an $id and a 2020-12 $schema', () => {
    const schema = outputJsonSchema('keys-check');
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe('https://unpkg.com/@supaops/cli/schemas/keys-check.schema.json');
    expect(schema.title).toBe('supaops keys check --json');
    expect(outputJsonSchema('error').title).toBe('supaops --json error');
  });
});
