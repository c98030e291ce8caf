import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { McpServerError } from '../../errors.js';
import { selfhostEnv } from '../../libs.js';

function writeFailed(path: string, error: unknown, fix: string): McpServerError {
  return new McpServerError(
    'MCP_TOOL_FAILED',
    `Could not write ${path}: ${(error as Error).message}. Fix: ${fix}`,
    { cause: error },
  );
}

/** Writes a new env file of `values` (selfhost's quoting), 0600, refusing to overwrite one. */
export async function writeNewEnvFile(path: string, values: Record<string, string>): Promise<void> {
  const sh = await selfhostEnv();
  const text = sh.serializeEnvRecord(values);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, text, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    throw writeFailed(
      path,
      error,
      'pass a file path that does not exist yet in a writable directory.',
    );
  }
}

/**
 * Sets `values` in an existing env file: every other line stays byte for byte (selfhost's
 * `setEnvValues`, which refuses ciphertext and lines compose cannot read). The file as it was is
 * copied to `<file>.bak` (0600, replacing an older one) first; the new text replaces the file by
 * rename, keeping its mode.
 */
export async function setValuesInEnvFile(
  path: string,
  values: Record<string, string>,
): Promise<{ backup: string }> {
  const sh = await selfhostEnv();
  const before = await readFile(path, 'utf8');
  const after = sh.setEnvValues(before, values);
  const mode = (await stat(path)).mode & 0o777;
  const backup = `${path}.bak`;
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    // created afresh, so it is 0600 whatever the mode of an older .bak was
    await rm(backup, { force: true });
    await writeFile(backup, before, { mode: 0o600, flag: 'wx' });
    await writeFile(temp, after, { mode, flag: 'wx' });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw writeFailed(path, error, 'make the file and its directory writable, then confirm again.');
  }
  return { backup };
}
