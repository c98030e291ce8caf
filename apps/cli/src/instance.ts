import type { ResolvedInstance } from '@supaops/config';
import type { CommandContext } from './context.js';
import { CliError, usageError } from './errors.js';
import { EXIT_CODES } from './exit-codes.js';

export interface InstanceFlags {
  instance?: string | undefined;
  dbUrl?: string | undefined;
}

/**
 * Flag over environment over config file: --db-url is an ad-hoc instance needing no config at all
 * (adHocInstance); otherwise --instance, then SUPAOPS_INSTANCE / SUPAOPS_DB_URL and the config's
 * default, which @supaops/config's loadConfig/resolveInstance apply. A `kind: "sandbox"` instance
 * starts (or reuses) the local sandbox. Every secret resolved is handed to the redactor.
 */
export async function resolveCliInstance(
  ctx: CommandContext,
  flags: InstanceFlags,
  options: { startSandbox?: boolean } = {},
): Promise<ResolvedInstance> {
  if (flags.instance && flags.dbUrl) {
    throw usageError(
      'INSTANCE_FLAGS_CONFLICT',
      'Both --instance and --db-url were given.',
      'Pass one of them: --instance NAME for a configured instance, --db-url URL for an ad-hoc one.',
    );
  }
  const [{ adHocInstance, resolveInstance }, pgConnect] = await Promise.all([
    import('@supaops/config'),
    import('@supaops/pg-connect'),
  ]);
  ctx.redactor.useConnectionRedactor(pgConnect.redactConnectionString);
  let resolved: ResolvedInstance;
  if (flags.dbUrl) {
    try {
      ctx.redactor.add(pgConnect.parseConnectionTarget(flags.dbUrl).password);
    } catch {
      // the library reports a malformed URL with its own message when it is used
    }
    resolved = adHocInstance(flags.dbUrl, { cwd: ctx.io.cwd });
  } else {
    const loaded = await ctx.config({ instanceFlag: flags.instance !== undefined });
    resolved = await resolveInstance(loaded, flags.instance, {
      sandbox: async () => {
        if (options.startSandbox === false) {
          throw new CliError(
            'SANDBOX_NOT_STARTED',
            'The instance is the sandbox; it is not started for this.',
            {
              exitCode: EXIT_CODES.usage,
            },
          );
        }
        const { startSandbox } = await import('@supaops/sandbox');
        const sandbox = await startSandbox({ env: ctx.io.env });
        ctx.redactor.add(sandbox.password);
        return { url: sandbox.url(), dataDir: sandbox.dataDir };
      },
    });
  }
  ctx.redactor.add(...resolved.secrets);
  return resolved;
}

/** The session connection (direct or Supavisor 5432), else the transaction one. */
export function instanceDatabaseUrl(
  instance: ResolvedInstance,
  purpose: 'session' | 'any',
): string {
  const url =
    instance.database.session ?? (purpose === 'any' ? instance.database.transaction : undefined);
  if (!url) {
    throw new CliError(
      'INSTANCE_NO_DATABASE',
      `Instance "${instance.name}" has no ${purpose === 'session' ? 'session ' : ''}database connection.`,
      {
        exitCode: EXIT_CODES.config,
        fix: `Add one: supaops instances add ${instance.name} --session env:DATABASE_URL --replace, or pass --db-url URL.`,
      },
    );
  }
  return url;
}
