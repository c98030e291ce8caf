import { z } from 'zod';
import { OUTPUT_SCHEMAS, type OutputSchemaName } from './schemas.js';

export { OUTPUT_SCHEMAS, type OutputSchemaName };

const BASE_ID = 'https://unpkg.com/@supaops/cli/schemas/';

const TITLES: Partial<Record<OutputSchemaName, string>> = {
  error: 'supaops --json error',
  'logs-follow': 'supaops logs --follow --json (one document per line)',
};

/** The JSON Schema (draft 2020-12) of one command's --json output. */
export function outputJsonSchema(name: OutputSchemaName): Record<string, unknown> {
  const schema = z.toJSONSchema(OUTPUT_SCHEMAS[name], { target: 'draft-2020-12', io: 'output' });
  const { $schema, ...rest } = schema as Record<string, unknown>;
  return {
    $schema,
    $id: `${BASE_ID}${name}.schema.json`,
    title: TITLES[name] ?? `supaops ${name.replace('-', ' ')} --json`,
    ...rest,
  };
}

/** Every schema file of apps/cli/schemas/, name → file content. */
export function schemaFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of Object.keys(OUTPUT_SCHEMAS) as OutputSchemaName[]) {
    files[`${name}.schema.json`] = `${JSON.stringify(outputJsonSchema(name), null, 2)}\n`;
  }
  return files;
}
