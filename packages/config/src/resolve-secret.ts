import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SecretReferenceError } from './errors.js';
import { envSchema, parseWith } from './issues.js';
import { parseSecretRef, SECRET_REF_FIX } from './secret-ref.js';
import type { ResolveSecretContext, SecretRef } from './types.js';

const contextSchema = z.object({
  env: envSchema.optional(),
  baseDir: z.string().optional(),
  store: z
    .custom<NonNullable<ResolveSecretContext['store']>>(
      (v) =>
        typeof v === 'object' && v !== null && typeof (v as { get?: unknown }).get === 'function',
      { error: 'must be a SecretStore (openSecretStore())' },
    )
    .optional(),
});

/**
 * The value behind `env:NAME`, `file:PATH` (relative to baseDir; one trailing newline dropped)
 * or `store:NAME`. A missing variable, file or entry is a SecretReferenceError naming it.
 */
export async function resolveSecret(
  ref: SecretRef,
  ctx: ResolveSecretContext = {},
): Promise<string> {
  parseWith(z.string(), ref, 'secret reference');
  parseWith(contextSchema, ctx, 'resolveSecret context');
  const parsed = parseSecretRef(ref);
  if (!parsed) {
    // the value may be a secret pasted in by mistake: never echo it
    throw new SecretReferenceError(
      '(literal)',
      'invalid',
      `A secret reference was expected but got a literal value. Fix: ${SECRET_REF_FIX}.`,
    );
  }
  if (parsed.scheme === 'env') {
    const value = (ctx.env ?? process.env)[parsed.name];
    if (value === undefined || value === '') {
      throw new SecretReferenceError(
        ref,
        'env-missing',
        `Secret reference ${ref}: environment variable ${parsed.name} is not set${value === '' ? ' (it is empty)' : ''}. Fix: export ${parsed.name}=... before running supaops, or change the reference.`,
      );
    }
    return value;
  }
  if (parsed.scheme === 'file') {
    const file = path.resolve(ctx.baseDir ?? process.cwd(), parsed.path);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new SecretReferenceError(
        ref,
        missing ? 'file-missing' : 'file-unreadable',
        missing
          ? `Secret reference ${ref}: file ${file} does not exist. Fix: create it (mode 0600) with the secret as its content, or change the reference.`
          : `Secret reference ${ref}: cannot read ${file} (${(error as NodeJS.ErrnoException).code}). Fix: make it readable by this user.`,
        { cause: error },
      );
    }
    // editors and `echo` add a final newline that is not part of the secret
    return text.replace(/\r?\n$/, '');
  }
  if (!ctx.store) {
    throw new SecretReferenceError(
      ref,
      'store-unavailable',
      `Secret reference ${ref} needs the secret store, which is not open. Fix: set SUPAOPS_SECRET_KEY (or SUPAOPS_SECRET_PASSPHRASE) so supaops can open it, or use env:/file: instead.`,
    );
  }
  const value = await ctx.store.get(parsed.name);
  if (value === undefined) {
    throw new SecretReferenceError(
      ref,
      'store-missing',
      `Secret reference ${ref}: the secret store has no entry "${parsed.name}". Fix: supaops secret set ${parsed.name}, or change the reference.`,
    );
  }
  return value;
}
