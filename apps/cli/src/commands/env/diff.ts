import type { CommandDef } from '../../command.js';
import { optBool } from '../../command.js';
import { EXIT_CODES } from '../../exit-codes.js';
import { isSecretName, readTextFile, resolvePath } from '../shared.js';

export const envDiff: CommandDef = {
  name: 'diff',
  description:
    'Compare two .env files (e.g. the Dokploy template against production) as compose reads them; secret values masked',
  arguments: [
    { name: '<left>', description: 'the first .env (e.g. the template)' },
    { name: '<right>', description: 'the second .env (e.g. production)' },
  ],
  options: [
    { flags: '--all', description: 'also list the variables that are the same' },
    { flags: '--exit-code', description: 'exit 1 when the files differ (as git diff --exit-code)' },
  ],
  examples: [
    {
      command: 'supaops env diff template.env .env',
      description: 'what production changed',
    },
    { command: 'supaops env diff a.env b.env --json', description: 'for scripts' },
  ],
  async action(ctx, { args, options }) {
    const [leftFile, rightFile] = [String(args[0]), String(args[1])];
    const [left, right] = await Promise.all([
      readTextFile(ctx, leftFile),
      readTextFile(ctx, rightFile),
    ]);
    // the env subpath: selfhost's env contract without its Dokploy and pg clients
    const { diffEnv, formatEnvDiff, isSecretVariable, parseEnv, toEnvRecord } = await import(
      '@supaops/selfhost/env'
    );
    for (const text of [left, right]) {
      const record = toEnvRecord(parseEnv(text, { interpolate: false }));
      for (const [key, value] of Object.entries(record)) {
        if (isSecretVariable(key) || isSecretName(key)) ctx.redactor.add(value);
      }
    }
    const diff = diffEnv(left, right, { includeUnchanged: optBool(options.all) });
    const differs = diff.summary.added + diff.summary.removed + diff.summary.changed > 0;
    const data = {
      left: resolvePath(ctx, leftFile),
      right: resolvePath(ctx, rightFile),
      differs,
      ...diff,
    };
    const { added, removed, changed, unchanged } = diff.summary;
    return {
      data,
      exitCode: differs && optBool(options.exitCode) ? EXIT_CODES.failedChecks : EXIT_CODES.ok,
      human: (c) => {
        const body = formatEnvDiff(diff)
          .split('\n')
          .filter((line) => line !== '')
          .map((line) =>
            line.startsWith('+')
              ? c.green(line)
              : line.startsWith('-')
                ? c.red(line)
                : line.startsWith('~')
                  ? c.yellow(line)
                  : line,
          );
        const tail = c.dim(
          `${added} added, ${removed} removed, ${changed} changed, ${unchanged} the same`,
        );
        return [...body, tail].join('\n');
      },
    };
  },
};
