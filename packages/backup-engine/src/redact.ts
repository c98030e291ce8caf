/**
 * Local redaction helpers. (`@supaops/pg-connect` promises `redactConnectionString`; it was not
 * published in the repository when this package was written, so the engine carries its own.)
 */

/** Shows at most the first and last 4 characters of a secret, `***` when it is short. */
export function maskSecret(secret: string): string {
  if (secret.length <= 12) return '***';
  return `${secret.slice(0, 4)}…${secret.slice(-4)}`;
}

/** Replaces the password of a postgres URL with `***`. Non-URL input gets `password=` masked. */
export function redactConnectionString(input: string): string {
  try {
    const url = new URL(input);
    if (url.password) url.password = '***';
    for (const key of [...url.searchParams.keys()]) {
      if (/pass|secret|key|token/i.test(key)) url.searchParams.set(key, '***');
    }
    return url.toString();
  } catch {
    return input.replace(/(password\s*=\s*)(\S+)/gi, '$1***');
  }
}

/** Masks the host name: keeps the first label's first 3 characters and the domain depth. */
export function redactHost(host: string): string {
  if (host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('/')) {
    return host;
  }
  const labels = host.split('.');
  return labels.map((label, i) => (i === 0 ? `${label.slice(0, 3)}***` : '***')).join('.');
}

/** Removes every occurrence of the given secrets (and URL passwords) from free text. */
export function redactText(text: string, secrets: (string | undefined)[] = []): string {
  let out = text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]+:)([^@\s]+)@/g, '$1***@');
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}
