import { notYet } from './stub.js';
import type { ResolveSecretContext, SecretRef } from './types.js';
export async function resolveSecret(_ref: SecretRef, _ctx: ResolveSecretContext): Promise<string> {
  return notYet('resolveSecret');
}
