import { notYet } from './stub.js';
export function isSecretRef(_value: string): boolean {
  return notYet('isSecretRef');
}
