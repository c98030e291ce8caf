import type { EnvVariableSpec } from './types.js';

/** GoTrue's strconv.ParseBool spellings (the Dokploy and upstream files use true/false). */
const BOOLEANS = new Set([
  '1',
  't',
  'T',
  'TRUE',
  'true',
  'True',
  '0',
  'f',
  'F',
  'FALSE',
  'false',
  'False',
]);
const HOST =
  /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?$/;
const IPV6 = /^\[?[0-9A-Fa-f:.]+\]?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const IDENTIFIER = /^[A-Za-z0-9_.-]+$/;

function integerProblem(value: string, min?: number, max?: number): string | undefined {
  if (!/^-?\d+$/.test(value)) return 'is not a whole number';
  const n = Number(value);
  if (min !== undefined && n < min) return `is ${n}, below the minimum ${min}`;
  if (max !== undefined && n > max) return `is ${n}, above the maximum ${max}`;
  return undefined;
}

function urlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'is not an http(s) URL';
  return undefined;
}

/**
 * What is wrong with a non-empty value under its variable's constraint, or undefined. Secrets,
 * keys and JSON key sets are judged by `@supaops/supabase-jwt` (the doctor's keys and secrets
 * checks), so they pass here. The message never contains the value.
 */
export function checkConstraint(spec: EnvVariableSpec, value: string): string | undefined {
  const { constraint } = spec;
  switch (constraint.kind) {
    case 'port':
    case 'integer':
      return integerProblem(value, constraint.min, constraint.max);
    case 'boolean':
      return BOOLEANS.has(value) ? undefined : 'is not true or false';
    case 'email':
      return EMAIL.test(value) ? undefined : 'is not an email address';
    case 'host':
      return HOST.test(value) || IPV6.test(value) ? undefined : 'is not a host name';
    case 'identifier':
      return IDENTIFIER.test(value) ? undefined : `has characters outside ${constraint.rule}`;
    case 'path':
      return value.startsWith('/') ? undefined : 'is not an absolute path';
    case 'url':
      return urlProblem(value);
    case 'list':
      return value.split(',').some((item) => item.trim() === '')
        ? 'has an empty item (a stray comma)'
        : undefined;
    default:
      return undefined;
  }
}
