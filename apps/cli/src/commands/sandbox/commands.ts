import type { CommandDef, OptionDef } from '../../command.js';
import { optBool, optNumber, optString } from '../../command.js';
import type { CommandContext } from '../../context.js';
import { parseInteger, resolvePath } from '../shared.js';
import { renderSandbox, sandboxView } from './view.js';

const SANDBOX_OPTIONS: OptionDef[] = [
  {
    flags: '--data-dir <dir>',
    description: 'where the sandbox lives (default <data dir>/sandbox; SUPAOPS_DATA_DIR moves it)',
    complete: 'directory',
  },
];

function sandboxOptions(ctx: CommandContext, options: Record<string, unknown>) {
  const dataDir = optString(options.dataDir);
  return { env: ctx.io.env, ...(dataDir ? { dataDir: resolvePath(ctx, dataDir) } : {}) };
}

export const sandboxStart: CommandDef = {
  name: 'start',
  description: 'Start (or reuse) the local PostgreSQL sandbox with the Supabase roles and schemas',
  options: [
    ...SANDBOX_OPTIONS,
    {
      flags: '--port <port>',
      description: 'port to listen on (default: a free one, then kept)',
      parse: parseInteger(1),
    },
    {
      flags: '--binaries <which>',
      description: 'PostgreSQL binaries to use',
      choices: ['auto', 'system', 'embedded'],
    },
  ],
  audit: true,
  examples: [
    { command: 'supaops sandbox start', description: 'a local Supabase-like database' },
    {
      command: 'supaops sandbox start --port 54322 --json',
      description: 'on a fixed port, as JSON',
    },
  ],
  async action(ctx, { options }) {
    const { startSandbox } = await import('@supaops/sandbox');
    const port = optNumber(options.port);
    const binaries = optString(options.binaries) as 'auto' | 'system' | 'embedded' | undefined;
    const sandbox = await startSandbox({
      ...sandboxOptions(ctx, options),
      ...(port ? { port } : {}),
      ...(binaries ? { binaries } : {}),
    });
    ctx.redactor.add(sandbox.password);
    ctx.audit.instance = 'sandbox';
    const view = {
      ...sandboxView(sandbox),
      reused: sandbox.reused,
      url: sandbox.url().replace(`:${encodeURIComponent(sandbox.password)}@`, ':***@'),
    };
    return { data: view, human: (c) => renderSandbox(view, c) };
  },
};

export const sandboxStatus: CommandDef = {
  name: 'status',
  description: 'Is the sandbox running, where, which version',
  options: SANDBOX_OPTIONS,
  examples: [{ command: 'supaops sandbox status', description: 'state, port and data dir' }],
  async action(ctx, { options }) {
    const { sandboxStatus: status } = await import('@supaops/sandbox');
    const view = sandboxView(await status(sandboxOptions(ctx, options)));
    return { data: view, human: (c) => renderSandbox(view, c) };
  },
};

export const sandboxStop: CommandDef = {
  name: 'stop',
  description: 'Stop the sandbox (its data is kept)',
  options: SANDBOX_OPTIONS,
  audit: true,
  examples: [{ command: 'supaops sandbox stop', description: 'stop the server' }],
  async action(ctx, { options }) {
    const { stopSandbox } = await import('@supaops/sandbox');
    ctx.audit.instance = 'sandbox';
    const view = sandboxView(await stopSandbox(sandboxOptions(ctx, options)));
    return { data: view, human: (c) => renderSandbox(view, c) };
  },
};

export const sandboxReset: CommandDef = {
  name: 'reset',
  description: 'Stop the sandbox and delete its data (asks first)',
  options: [...SANDBOX_OPTIONS, { flags: '-y, --yes', description: 'do not ask' }],
  audit: true,
  examples: [
    { command: 'supaops sandbox reset --yes', description: 'start over from an empty sandbox' },
  ],
  async action(ctx, { options }) {
    await ctx.confirm('Delete the sandbox and all its data?', optBool(options.yes));
    const { resetSandbox } = await import('@supaops/sandbox');
    ctx.audit.instance = 'sandbox';
    const view = sandboxView(await resetSandbox(sandboxOptions(ctx, options)));
    return { data: view, human: (c) => renderSandbox(view, c) };
  },
};
