import { notYet } from './stub.js';
export function redactValue(_value: unknown, _secrets?: string[]): unknown {
  return notYet('redactValue');
}
