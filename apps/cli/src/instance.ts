import type { InstancePart, ResolvedInstance } from '@supaops/config';
import type { CommandContext } from './context.js';
import { CliError, usageError } from './errors.js';
import { EXIT_CODES } from './exit-codes.js';

export interface InstanceFlags {
  instance?: string | undefined;
  dbUrl?: string | undefined;
  /** How the user named the instance, for messages (default `--instance`). */
  from?: string | undefined;
}

/**
 * Flag over environment over config file: --db-url is an ad-hoc instance needing no config at all
 * (adHocInstance); otherwise --instance, then SUPAOPS_INSTANCE / SUPAOPS_DB_URL and the config's
 * default, which @supaops/config's loadConfig/resolveInstance apply. Only the parts in `need`
 * must resolve: an unset reference elsewhere (an API key for `db sql`) is left out, and the
 * sandbox starts only when its database is needed. Every secret resolved goes to the redactor.
 */
export async function resolveCliInstance(
  ctx: CommandContext,
  flags: InstanceFlags,
  need: readonly InstancePart[],
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
    const loaded = await ctx.config({ instance: flags.instance, from: flags.from });
    // no name here: loadConfig recorded the selection, so errors say where the name came from
    resolved = await resolveInstance(loaded, undefined, {
      need: [...need],
      sandbox: async () => {
        const { startSandbox } = await import('@supaops/sandbox');
        const sandbox = await startSandbox({ env: ctx.io.env });
        ctx.redactor.add(sandbox.password);
        return { url: sandbox.url(), dataDir: sandbox.dataDir };
      },
    });
    for (const missing of resolved.unresolved ?? []) {
      ctx.debug(`instance "${resolved.name}": ${missing.field} left out (${missing.reason})`);
    }
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
