import type { Command } from 'commander';
import { render as bash } from './bash.js';
import { render as fish } from './fish.js';
import { describeCommand } from './tree.js';
import { render as zsh } from './zsh.js';

const RENDERERS = { bash, zsh, fish };

export type Shell = keyof typeof RENDERERS;

/** The completion script of `shell` for the commander tree under `program`. */
export function completionScript(shell: Shell, program: Command): string {
  return RENDERERS[shell](describeCommand(program));
}
