import { randomBytes } from 'node:crypto';
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { CommandInput } from '../command.js';
import { optString } from '../command.js';
import type { CommandContext, InstanceFlags } from '../context.js';
import { CliError } from '../errors.js';
import { EXIT_CODES } from '../exit-codes.js';

export function parseInteger(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new InvalidArgumentError(`expected a whole number of at least ${min}`);
    }
    return n;
  };
}

/** Repeatable `key=value` (tags). */
export function parseKeyValue(value: string, previous: unknown): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('expected key=value');
  return {
    ...((previous as Record<string, string> | undefined) ?? {}),
    [value.slice(0, at)]: value.slice(at + 1),
  };
}

export function collect(value: string, previous: unknown): string[] {
  return [...((previous as string[] | undefined) ?? []), value];
}

export function instanceFlags(input: CommandInput): InstanceFlags {
  return { instance: optString(input.options.instance), dbUrl: optString(input.options.dbUrl) };
}

export function resolvePath(ctx: CommandContext, file: string): string {
  return path.resolve(ctx.io.cwd, file);
}

/** A file named on the command line; unreadable is exit 10 with the path in the message. */
export async function readTextFile(ctx: CommandContext, file: string): Promise<string> {
  const full = resolvePath(ctx, file);
  try {
    return await readFile(full, 'utf8');
  } catch (error) {
    throw new CliError('FILE_UNREADABLE', `Cannot read ${full}: ${(error as Error).message}`, {
      exitCode: EXIT_CODES.file,
      fix: 'Check the path and its permissions.',
      cause: error,
    });
  }
}

/**
 * Writes through a temp file and a rename, so a crash leaves the old file or the new one. An
 * existing file keeps its mode; a new one gets `mode`.
 */
export async function writeFileAtomic(
  ctx: CommandContext,
  file: string,
  content: string,
  mode = 0o600,
): Promise<string> {
  const full = resolvePath(ctx, file);
  const tmp = `${full}.supaops-${randomBytes(4).toString('hex')}.tmp`;
  try {
    const existing = await stat(full).catch(() => undefined);
    await writeFile(tmp, content, { mode: existing ? existing.mode & 0o777 : mode, flag: 'wx' });
    await rename(tmp, full);
    return full;
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw new CliError('FILE_UNWRITABLE', `Cannot write ${full}: ${(error as Error).message}`, {
      exitCode: EXIT_CODES.file,
      fix: 'Check the directory exists and is writable.',
      cause: error,
    });
  }
}

/** Variable names whose values are secrets: their values are masked wherever they could appear. */
export function isSecretName(name: string): boolean {
  return /SECRET|PASSWORD|KEY|TOKEN|JWKS/i.test(name);
}
