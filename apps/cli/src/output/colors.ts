import picocolors from 'picocolors';

export type Colors = ReturnType<typeof picocolors.createColors>;

export interface ColorInputs {
  /** `--color` (true) or `--no-color` (false); undefined when neither was given. */
  flag: boolean | undefined;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

function envFlag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return !['0', 'false', 'no', 'off'].includes(value.toLowerCase());
}

/**
 * Whether to color a stream. Flags win over the environment (the CLI's precedence rule), then
 * NO_COLOR (any non-empty value, per no-color.org), then FORCE_COLOR, then "is it a terminal".
 */
export function colorEnabled({ flag, env, isTTY }: ColorInputs): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const forced = envFlag(env.FORCE_COLOR === '' ? '1' : env.FORCE_COLOR);
  if (forced !== undefined) return forced;
  return isTTY && env.TERM !== 'dumb';
}

export function createColors(enabled: boolean): Colors {
  return picocolors.createColors(enabled);
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}
