import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from './json-schema.js';

const published = new URL('../schema/supaops.config.schema.json', import.meta.url);

describe('configJsonSchema', () => {
  it('matches the published schema file (regenerate: pnpm build && pnpm schema)', async () => {
    const file = JSON.parse(await readFile(published, 'utf8'));
    expect(file).toEqual(configJsonSchema());
  });

  it('is draft 2020-12 with an $id, closed objects and the secret pattern', () => {
    const schema = configJsonSchema() as {
      $schema: string;
      $id: string;
      additionalProperties: boolean;
      required?: string[];
      properties: Record<
        string,
        { additionalProperties?: { properties: Record<string, unknown> } }
      >;
    };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(/supaops\.config\.schema\.json$/);
    expect(schema.additionalProperties).toBe(false);
    // defaulted fields are optional in a file
    expect(schema.required ?? []).not.toContain('version');
    const instance = schema.properties.instances?.additionalProperties as {
      required: string[];
      properties: { api: { properties: { anonKey: { pattern: string } } } };
    };
    expect(instance.required).toEqual(['kind']);
    expect(instance.properties.api.properties.anonKey.pattern).toMatch(/^\^\(env:/);
  });
});
