import type { CommandDef } from '../command.js';
import { usageError } from '../errors.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

const INSTALL: Record<(typeof SHELLS)[number], string> = {
  bash: "echo 'source <(supaops completion bash)' >> ~/.bashrc",
  zsh: 'supaops completion zsh > ~/.zfunc/_supaops   # with fpath+=(~/.zfunc) before compinit in ~/.zshrc',
  fish: 'supaops completion fish > ~/.config/fish/completions/supaops.fish',
};

export const completionCommand: CommandDef = {
  name: 'completion',
  description:
    'Print the shell completion script for bash, zsh or fish (generated from the command tree)',
  arguments: [{ name: '<shell>', description: 'bash, zsh or fish', choices: SHELLS }],
  examples: SHELLS.map((shell) => ({
    command: INSTALL[shell],
    description: `install for ${shell}`,
  })),
  async action(ctx, { args }) {
    const shell = String(args[0]);
    if (!(SHELLS as readonly string[]).includes(shell)) {
      throw usageError('SHELL_UNKNOWN', `No completion for "${shell}".`, 'Pick bash, zsh or fish.');
    }
    if (!ctx.program) throw new Error('completion needs the command tree');
    const { completionScript } = await import('../completion/index.js');
    const script = completionScript(shell as (typeof SHELLS)[number], ctx.program);
    return {
      data: { shell, script, install: INSTALL[shell as (typeof SHELLS)[number]] },
      human: script,
    };
  },
};
