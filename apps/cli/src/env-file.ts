// Writing .env text. No library offers a line editor for .env files yet (pg-connect only parses
// them, supabase-jwt works on records); this is the smallest one that keeps every untouched line
// byte for byte. It belongs in @supaops/selfhost once that package exists.

const SAFE_UNQUOTED = /^[^\s'"#\\$`]*$/;

/** A value as it must appear after `KEY=` for parseDotenvText (and docker compose) to read it back. */
export function formatEnvValue(value: string, preferQuote?: "'" | '"'): string {
  if (preferQuote === "'" && !value.includes("'") && !value.includes('\n')) return `'${value}'`;
  if (preferQuote === '"') return `"${value.replace(/(["\\])/g, '\\$1').replace(/\n/g, '\\n')}"`;
  if (SAFE_UNQUOTED.test(value)) return value;
  if (!value.includes("'") && !value.includes('\n')) return `'${value}'`;
  return `"${value.replace(/(["\\])/g, '\\$1').replace(/\n/g, '\\n')}"`;
}

/** `KEY=value` lines, one per variable, in the record's order. */
export function formatEnvText(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([key, value]) => `${key}=${formatEnvValue(value)}\n`)
    .join('');
}

const ASSIGNMENT = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.]*)(\s*=\s*)(.*)$/;

/** The value part of an assignment and what follows it (a closing quote's tail, a comment). */
function splitValue(raw: string): { quote: "'" | '"' | undefined; tail: string } {
  const quote = raw[0];
  if (quote === '"' || quote === "'") {
    const end = raw.lastIndexOf(quote);
    return { quote, tail: end > 0 ? raw.slice(end + 1) : '' };
  }
  const comment = raw.search(/\s#/);
  return { quote: undefined, tail: comment >= 0 ? raw.slice(comment) : '' };
}

/**
 * Replaces the values of `changes` in .env text. Every other line (comments, blank lines, other
 * variables, line endings) stays byte for byte; variables not present are appended at the end.
 */
export function applyEnvChanges(text: string, changes: Record<string, string>): string {
  const pending = new Set(Object.keys(changes));
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const out = lines.map((line) => {
    const ending = line.endsWith('\r\n') ? '\r\n' : line.endsWith('\n') ? '\n' : '';
    const body = line.slice(0, line.length - ending.length);
    const match = ASSIGNMENT.exec(body);
    const key = match?.[2];
    if (!match || key === undefined || !(key in changes)) return line;
    pending.delete(key);
    const { quote, tail } = splitValue(match[4] ?? '');
    return `${match[1]}${key}${match[3]}${formatEnvValue(changes[key]!, quote)}${tail}${ending}`;
  });
  let result = out.join('');
  if (pending.size > 0) {
    if (result !== '' && !result.endsWith('\n')) result += eol;
    for (const key of pending) result += `${key}=${formatEnvValue(changes[key]!)}${eol}`;
  }
  return result;
}
