/**
 * Redaction. Connection strings and secrets are `@supaops/pg-connect`'s concern: this package
 * re-exports its `redactConnectionString` and `maskSecret` and only adds what is specific to
 * backups (the masked host of a manifest, and removing known secrets from tool output).
 */
import { maskSecret, redactConnectionString } from '@supaops/pg-connect';

export { maskSecret, redactConnectionString };

/** Masks the host name: keeps the first label's first 3 characters and the domain depth. */
export function redactHost(host: string): string {
  if (host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('/')) {
    return host;
  }
  const labels = host.split('.');
  return labels.map((label, i) => (i === 0 ? `${label.slice(0, 3)}***` : '***')).join('.');
}

/** Removes every connection-string password and every occurrence of the given secrets from free text. */
export function redactText(text: string, secrets: (string | undefined)[] = []): string {
  let out = redactConnectionString(text);
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}
