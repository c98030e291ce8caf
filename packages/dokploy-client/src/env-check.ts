import { z } from 'zod';
import { maskSecret } from './redact.js';
import { ensure } from './validate.js';

/** One line of an env that is not `KEY=VALUE`, a comment or blank. */
export interface EnvProblem {
  /** 1-based line number. */
  readonly line: number;
  readonly reason: string;
  /** The line masked like a secret (`enc:…Zz==` / `***`): never the content. */
  readonly preview: string;
}

export interface EnvDiagnosis {
  /** Every line is `KEY=VALUE` (quoted values may span lines), a `#` comment or blank. */
  readonly readable: boolean;
  /** It is Dokploy's at-rest ciphertext (`enc:v1:…`), returned when the key changed. */
  readonly looksEncrypted: boolean;
  /** How many `KEY=VALUE` entries were read. */
  readonly entries: number;
  /** The first problems found (at most 5). */
  readonly problems: readonly EnvProblem[];
}

const ENCRYPTED_PREFIX = 'enc:v1:';
const ENTRY_RE = /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=(.*)$/;
const MAX_PROBLEMS = 5;

/** Whether `text` holds an unescaped `quote` (backslash escapes only count inside double quotes). */
function closes(text: string, quote: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) return true;
  }
  return false;
}

/**
 * Checks that a compose env parses as Dokploy's `KEY=VALUE` lines before anyone edits and
 * writes it back. From v0.29.12 Dokploy encrypts envs at rest and, when BETTER_AUTH_SECRET (or
 * ENCRYPTION_KEY) changed, fails open: `compose.one` returns the ciphertext as `env`. A
 * read-modify-write would then store garbage that no key can decrypt.
 */
export function diagnoseEnv(env: string | null | undefined): EnvDiagnosis {
  ensure(z.string().nullish(), env, 'env', 'pass the env string (or null).');
  if (!env) return { readable: true, looksEncrypted: false, entries: 0, problems: [] };
  if (env.trimStart().startsWith(ENCRYPTED_PREFIX)) {
    return {
      readable: false,
      looksEncrypted: true,
      entries: 0,
      problems: [
        {
          line: 1,
          reason:
            'Dokploy ciphertext (enc:v1:…): the env was encrypted under another BETTER_AUTH_SECRET or ENCRYPTION_KEY',
          preview: maskSecret(env.trim()),
        },
      ],
    };
  }
  const lines = env.split('\n').map((l) => l.replace(/\r$/, ''));
  const problems: EnvProblem[] = [];
  let entries = 0;
  for (let i = 0; i < lines.length && problems.length < MAX_PROBLEMS; i++) {
    const line = lines[i] ?? '';
    if (/^\s*(#.*)?$/.test(line)) continue;
    const m = ENTRY_RE.exec(line);
    if (!m) {
      problems.push({
        line: i + 1,
        reason: 'not a KEY=VALUE line',
        preview: maskSecret(line.trim()),
      });
      continue;
    }
    entries++;
    const value = (m[1] ?? '').trimStart();
    const quote = value[0];
    if ((quote !== '"' && quote !== "'") || closes(value.slice(1), quote)) continue;
    const start = i;
    while (++i < lines.length && !closes(lines[i] ?? '', quote));
    if (i >= lines.length) {
      problems.push({
        line: start + 1,
        reason: `the ${quote === '"' ? 'double' : 'single'}-quoted value is never closed`,
        preview: maskSecret(line.trim()),
      });
    }
  }
  return { readable: problems.length === 0, looksEncrypted: false, entries, problems };
}

/** "line 3: not a KEY=VALUE line (***)" for messages. */
export function describeEnvProblems(problems: readonly EnvProblem[]): string {
  return problems.map((p) => `line ${p.line}: ${p.reason} (${p.preview})`).join('; ');
}
