import type { EnvConstraint, EnvVariableSpec } from './types.js';

type Draft = Omit<EnvVariableSpec, 'name' | 'secret' | 'required'> & {
  secret?: boolean;
  required?: boolean;
};

/** Builds a table of variable specs keyed by name (defaults: not secret, not required). */
export function defineVariables(drafts: Record<string, Draft>): Record<string, EnvVariableSpec> {
  const out: Record<string, EnvVariableSpec> = {};
  for (const [name, draft] of Object.entries(drafts)) {
    out[name] = {
      name,
      ...draft,
      secret: draft.secret ?? draft.constraint.kind === 'secret',
      required: draft.required ?? false,
    };
  }
  return out;
}

export const c = {
  secret: (rule: string, min?: number): EnvConstraint => ({
    kind: 'secret',
    rule,
    ...(min === undefined ? {} : { min }),
  }),
  jwt: (rule = 'a compact JWT (header.payload.signature)'): EnvConstraint => ({
    kind: 'jwt',
    rule,
  }),
  json: (rule: string): EnvConstraint => ({ kind: 'json', rule }),
  url: (rule = 'an absolute http(s) URL'): EnvConstraint => ({ kind: 'url', rule }),
  urlList: (): EnvConstraint => ({
    kind: 'url-list',
    rule: 'comma-separated absolute URLs; * and ** globs allowed',
  }),
  host: (rule = 'a host name or IP address'): EnvConstraint => ({ kind: 'host', rule }),
  port: (): EnvConstraint => ({ kind: 'port', rule: 'a TCP port, 1-65535', min: 1, max: 65535 }),
  integer: (min: number, max?: number): EnvConstraint => ({
    kind: 'integer',
    rule: max === undefined ? `an integer >= ${min}` : `an integer from ${min} to ${max}`,
    min,
    ...(max === undefined ? {} : { max }),
  }),
  boolean: (): EnvConstraint => ({ kind: 'boolean', rule: 'true or false' }),
  email: (): EnvConstraint => ({ kind: 'email', rule: 'an email address' }),
  identifier: (rule = 'letters, digits, - and _'): EnvConstraint => ({ kind: 'identifier', rule }),
  path: (rule = 'an absolute path starting with /'): EnvConstraint => ({ kind: 'path', rule }),
  list: (rule: string): EnvConstraint => ({ kind: 'list', rule }),
  text: (rule = 'any text'): EnvConstraint => ({ kind: 'text', rule }),
};
