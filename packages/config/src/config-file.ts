import { readFile } from 'node:fs/promises';
import { ConfigFileError } from './errors.js';
import type { SupaopsConfig } from './types.js';
import { validateConfig } from './validate.js';

/** The parsed JSON of a file, or undefined when it does not exist. */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigFileError(
      file,
      `Cannot read ${file}: ${(error as Error).message}. Fix: check that the file is readable by this user.`,
      { cause: error },
    );
  }
  try {
    // a UTF-8 BOM (Windows editors) is not JSON
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new ConfigFileError(
      file,
      `${file} is not valid JSON: ${(error as Error).message}. Fix: correct the syntax (an editor using the JSON Schema shows where).`,
      { cause: error },
    );
  }
}

export interface ReadConfigFileOptions {
  /** Return an empty configuration when the file does not exist (default false: ConfigFileError). */
  missingOk?: boolean;
}

/**
 * One config file as written (relative paths kept), validated without cross-references: a
 * project file may use a Dokploy server registered in the user file.
 */
export async function readConfigFile(
  file: string,
  options: ReadConfigFileOptions = {},
): Promise<SupaopsConfig> {
  const raw = await readJsonFile(file);
  if (raw === undefined) {
    if (options.missingOk) return { version: 1, instances: {}, dokployServers: {} };
    throw new ConfigFileError(
      file,
      `${file} does not exist. Fix: create it (supaops init) or point SUPAOPS_CONFIG / --config at an existing file.`,
    );
  }
  return validateConfig(raw, { crossReferences: false, file });
}
