import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { CLI_ROOT } from './cli.js';

const ajv = new Ajv2020({ allErrors: true, strict: false });

/** Validates a --json document against apps/cli/schemas/<name>.schema.json; returns the errors. */
export function schemaErrors(name: string, data: unknown): string[] {
  const file = path.join(CLI_ROOT, 'schemas', `${name}.schema.json`);
  const schema = JSON.parse(readFileSync(file, 'utf8')) as { $id: string };
  const validate = ajv.getSchema(schema.$id) ?? ajv.compile(schema);
  if (validate(data)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
  );
}
