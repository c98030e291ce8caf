import { notYet } from './stub.js';
/** The JSON Schema (draft 2020-12) of supaops.config.json. */
export function configJsonSchema(): object {
  return notYet('configJsonSchema');
}
