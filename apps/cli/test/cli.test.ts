import { execFileSync, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGroup } from '../src/command.js';
import { COMMAND_TREE } from '../src/commands/index.js';
import { json, runCli, spawnCli, type TempHome, tempHome } from './helpers/cli.js';
import { schemaErrors } from './helpers/schema.js';

let home: TempHome;
const run = (args: string[], input?: string) =>
  runCli(args, { cwd: home.project, env: home.env, ...(input === undefined ? {} : { input }) });

const PATHS = COMMAND_TREE.flatMap((entry) =>
  isGroup(entry)
    ? [[entry.name], ...entry.commands.map((c) => [entry.name, c.name])]
    : [[entry.name]],
);

beforeAll(async () => {
  home = await tempHome();
});
afterAll(async () => {
  await home.cleanup();
});

function hasShell(shell: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
}

describe('help', () => {
  it('--help on the root lists every group, the exit codes and examples', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    for (const entry of COMMAND_TREE) expect(result.stdout).toContain(entry.name);
    expect(result.stdout).toContain('Exit codes:');
    expect(result.stdout).toContain('130  interrupted');
    expect(result.stdout).toContain('Examples:');
  });

  it.each(PATHS.filter((p) => p[0] !== 'mcp'))(
    '%s --help shows options and examples',
    async (...path) => {
      const result = await run([...path, '--help']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(`Usage: supaops ${path.join(' ')}`);
      expect(result.stdout).toContain('Examples:');
      expect(result.stdout).toContain('$ supaops');
    },
  );

  it('--version prints the version', async () => {
    const result = await run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('usage errors exit 2', () => {
  it.each([
    [['nope']],
    [['keys', 'nope']],
    [['keys', 'check', '--bogus']],
    [['completion']],
    [['completion', 'powershell']],
    [['db', 'sql', 'select 1', '--max-rows', 'many']],
    [['db', 'check', '--purpose', 'fun']],
    [['migration', 'new']],
    [['keys']],
  ])('%j', async (args) => {
    const human = await run(args);
    expect(human.code).toBe(2);
    expect(human.stdout).toBe('');
    const machine = await run([...args, '--json']);
    expect(machine.code).toBe(2);
    const doc = json(machine);
    expect(schemaErrors('error', doc)).toEqual([]);
    expect(doc).toMatchObject({ error: { code: 'USAGE' } });
  });
});

/**
 * The built binary with one of its output pipes closed by the reader before anything is written
 * (a `| head -1` that has already gone): every write to it fails with EPIPE.
 */
function runClosed(args: string[], closed: 'stdout' | 'stderr') {
  const child = spawnCli(args, { cwd: home.project, env: home.env });
  child[closed].destroy();
  const other = closed === 'stdout' ? child.stderr : child.stdout;
  let text = '';
  other.setEncoding('utf8').on('data', (d: string) => {
    text += d;
  });
  child.stdin.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise<{ code: number | null; text: string }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, text });
    }),
  );
}

describe('a reader that closes the pipe early (`supaops … | head -1`)', () => {
  it.each([
    [['clone', '--help']],
    [['--help']],
    [['keys', 'generate']],
    [['keys', 'generate', '--new-style', '--json']],
    [['nope', '--json']],
  ])('%j ends quietly with exit 0', async (args) => {
    const result = await runClosed(args, 'stdout');
    expect(result.code, result.text).toBe(0);
    expect(result.text).not.toMatch(/EPIPE|Unhandled|at .*\.js:\d+/);
  });

  it('a closed stderr only stops the messages: the exit code stays', async () => {
    const usage = await runClosed(['clone', '--generated-domain'], 'stderr');
    expect(usage.code).toBe(2);
    const generated = await runClosed(['keys', 'generate', '--json'], 'stderr');
    expect(generated.code).toBe(0);
    expect(JSON.parse(generated.text).env.JWT_SECRET).toBeTruthy();
  });
});

describe('shell completion', () => {
  it('bash: completes subcommands and options of the current command', async () => {
    const result = await run(['completion', 'bash']);
    expect(result.code).toBe(0);
    const file = path.join(home.root, 'supaops.bash');
    await writeFile(file, result.stdout);
    const complete = (words: string[]) =>
      execFileSync(
        'bash',
        [
          '-c',
          `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _supaops_complete; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ],
        { encoding: 'utf8' },
      )
        .trim()
        .split('\n');
    expect(complete(['supaops', ''])).toEqual(
      expect.arrayContaining(['keys', 'db', 'migration', 'backup', 'sandbox', '--json']),
    );
    expect(complete(['supaops', 'keys', ''])).toEqual(
      expect.arrayContaining(['generate', 'check', 'repair']),
    );
    expect(complete(['supaops', 'keys', 'check', '--e'])).toEqual(['--env']);
    expect(complete(['supaops', 'db', 'sql', '--instance', 'x', '--re'])).toEqual(['--read-only']);
    expect(complete(['supaops', 'db', 'check', '--purpose', 'm'])).toEqual(['migrations']);
    expect(complete(['supaops', 'completion', 'z'])).toEqual(['zsh']);
    expect(complete(['supaops', 'migration', 'repair', '--status', ''])).toEqual([
      'applied',
      'reverted',
    ]);
  });

  it.each(['zsh', 'fish'])(
    '%s: a script naming every command, valid for the shell when it is installed',
    async (shell) => {
      const result = await run(['completion', shell, '--json']);
      expect(result.code).toBe(0);
      const doc = json<{ script: string; install: string }>(result);
      expect(schemaErrors('completion', doc)).toEqual([]);
      for (const [group, command] of PATHS.filter((p) => p.length === 2)) {
        expect(doc.script).toContain(`${group} ${command}`);
      }
      if (!hasShell(shell)) return; // the text checks above still ran; syntax needs the shell
      const file = path.join(home.root, `supaops.${shell}`);
      await writeFile(file, doc.script);
      const check = spawnSync(shell, shell === 'zsh' ? ['-n', file] : ['--no-execute', file], {
        encoding: 'utf8',
      });
      expect(check.status, check.stderr).toBe(0);
    },
  );
});

describe('mcp', () => {
  it('--help prints the server flags (passed through unchanged)', async () => {
    const result = await run(['mcp', '--help']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('--read-only');
    expect(result.stderr).toContain('passes these flags to the server unchanged');
  });

  it('an unknown server flag is a usage error', async () => {
    const result = await run(['mcp', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('MCP_INVALID_OPTIONS');
  });

  it('serves MCP on stdio and exits 0 when stdin closes', async () => {
    await writeFile(
      path.join(home.project, 'supaops.config.json'),
      JSON.stringify({ version: 1, instances: {}, dokployServers: {} }),
    );
    const child = spawnCli(['mcp', '--no-sandbox'], { cwd: home.project, env: home.env });
    let stdout = '';
    const answered = new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('"id":1')) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'cli-test', version: '0' } } })}\n`,
    );
    await Promise.race([answered, exited]);
    child.stdin.end();
    expect(await exited).toBe(0);
    clearTimeout(timer);
    const reply = JSON.parse(stdout.split('\n').find((l) => l.includes('"id":1'))!);
    expect(reply.result.serverInfo.name).toMatch(/supaops/);
  });
});
