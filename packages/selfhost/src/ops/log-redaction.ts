import { isSecretVariable } from '../env/schema/table.js';

/** Shorter values are too likely to occur in ordinary text (`true`, a port) to be masked. */
const MIN_SECRET_LENGTH = 6;
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)(@)/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;

/**
 * A function that masks, in any text, every secret value of an env (by the schema's secret
 * flag or a secret-looking name), the password of every `scheme://user:password@` string, and
 * anything shaped like a JWT. Longer values are replaced first, so a secret that contains
 * another one is masked whole.
 */
export function secretRedactor(env: Readonly<Record<string, string>>): (text: string) => string {
  const values = [
    ...new Set(
      Object.entries(env)
        .filter(([name, value]) => isSecretVariable(name) && value.length >= MIN_SECRET_LENGTH)
        .map(([, value]) => value),
    ),
  ].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const v of values) if (out.includes(v)) out = out.split(v).join('***');
    return out.replace(URL_PASSWORD, '$1***$3').replace(JWT, 'eyJ***');
  };
}
