import type { CommandDef } from '../../command.js';
import { optStrings } from '../../command.js';
import { usageError } from '../../errors.js';
import { EDIT_TARGET_OPTIONS, editEnvTarget } from './edit-target.js';

function assignments(values: string[]): Record<string, string> {
  const set: Record<string, string> = {};
  for (const item of values) {
    const at = item.indexOf('=');
    if (at <= 0) {
      throw usageError(
        'ENV_ASSIGNMENT_INVALID',
        `"${item.split('=')[0]}" is not KEY=VALUE.`,
        'Pass each variable as KEY=VALUE (quote the whole argument when the value has spaces).',
      );
    }
    set[item.slice(0, at)] = item.slice(at + 1);
  }
  return set;
}

export const envSet: CommandDef = {
  name: 'set',
  description:
    "Set variables in an .env file or an instance's Dokploy compose env; every other line stays byte for byte",
  arguments: [{ name: '<assignments...>', description: 'KEY=VALUE pairs' }],
  options: EDIT_TARGET_OPTIONS,
  audit: true,
  examples: [
    {
      command: 'supaops env set SITE_URL=https://app.acme.dev --env .env',
      description: 'edit a file',
    },
    {
      command: 'supaops env set SMTP_HOST=smtp.acme.dev SMTP_PORT=587 --instance prod --redeploy',
      description: "edit prod's compose env, then redeploy",
    },
  ],
  async action(ctx, input) {
    const set = assignments(optStrings(input.args[0]));
    return editEnvTarget(ctx, input, { set });
  },
};

export const envUnset: CommandDef = {
  name: 'unset',
  description: "Remove variables from an .env file or an instance's Dokploy compose env",
  arguments: [{ name: '<keys...>', description: 'variable names' }],
  options: EDIT_TARGET_OPTIONS,
  audit: true,
  examples: [
    { command: 'supaops env unset OPENAI_API_KEY --env .env', description: 'drop a variable' },
  ],
  async action(ctx, input) {
    return editEnvTarget(ctx, input, { unset: optStrings(input.args[0]) });
  },
};
