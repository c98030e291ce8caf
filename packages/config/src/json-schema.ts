import { z } from 'zod';
import { CONFIG_SCHEMA_URL } from './constants.js';
import { configSchema } from './schema.js';

/**
 * The JSON Schema (draft 2020-12) of supaops.config.json, generated from the zod schema that
 * validateConfig uses; the package ships it as `@supaops/config/schema.json`.
 */
export function configJsonSchema(): Record<string, unknown> {
  // io 'input': fields with defaults (version, instances) are optional in a file
  const schema = z.toJSONSchema(configSchema, { target: 'draft-2020-12', io: 'input' });
  return { ...schema, $id: CONFIG_SCHEMA_URL };
}
