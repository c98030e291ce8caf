import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type {
  JsonSchemaType,
  JsonSchemaValidator,
  jsonSchemaValidator,
} from '@modelcontextprotocol/sdk/validation/types.js';

let shared: AjvJsonSchemaValidator | undefined;

/**
 * The SDK's Ajv validator (it checks elicitation answers), created on first use and shared by
 * every session: the SDK's default builds an Ajv instance per server object, which costs startup
 * time and memory for each HTTP session although only an elicitation ever uses it.
 */
export const lazySchemaValidator: jsonSchemaValidator = {
  getValidator<T>(schema: JsonSchemaType): JsonSchemaValidator<T> {
    shared ??= new AjvJsonSchemaValidator();
    return shared.getValidator<T>(schema);
  },
};
