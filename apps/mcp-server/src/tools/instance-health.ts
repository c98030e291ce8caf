import type { ResolvedInstance } from '@supaops/config';
import { z } from 'zod';
import { InstanceCapabilityError } from '../errors.js';
import { selfhost } from '../libs.js';
import type { ToolContext, ToolOutput } from '../registry/types.js';
import { looseRecord } from './common.js';
import {
  composeEnv,
  type DokployTarget,
  deployOptions,
  dokployTargetOf,
} from './selfhost/dokploy.js';

/** The result of both health tools (get_health adds the instance's name). */
export const healthOutput = z.object({ ok: z.boolean(), report: looseRecord });
export type HealthOutput = z.output<typeof healthOutput>;

export interface HealthParts {
  /** Check the gateway with the config's api keys (get_health) or leave it to the env's (Dokploy). */
  api: boolean;
  /** A Dokploy target resolved already (dokploy_monitor_health). */
  target?: DokployTarget;
}

/** Secrets of the compose's env join the redactor; a Dokploy that cannot be read is the report's. */
async function fenceComposeEnv(target: DokployTarget, ctx: ToolContext): Promise<void> {
  try {
    await composeEnv(target, ctx);
  } catch {
    // checkInstanceHealth reports an unreadable compose as a failing check
  }
}

/**
 * The health of an instance from the parts it has, through selfhost's checkInstanceHealth: its
 * Dokploy compose (containers, and the env's keys against its public URL), its API with the
 * config's keys when `parts.api`, its database's connection pressure through the tool pool. The
 * failing services' logs come back as untrusted data.
 */
export async function instanceHealth(
  instance: ResolvedInstance,
  ctx: ToolContext,
  parts: HealthParts,
): Promise<ToolOutput<HealthOutput>> {
  const sh = await selfhost();
  const notes: string[] = [];
  const target =
    parts.target ?? (instance.dokploy ? await dokployTargetOf(instance, ctx) : undefined);
  if (target) await fenceComposeEnv(target, ctx);
  const api = parts.api ? instance.api : undefined;
  // the sb_ keys stand in for the legacy ones (selfhost checks either)
  const anonKey = api?.anonKey ?? api?.publishableKey;
  if (api && !anonKey)
    notes.push(
      `api: ${api.url} was not checked: add api.anonKey (and api.serviceRoleKey), or api.publishableKey (and api.secretKey), to the instance`,
    );
  const hasDb = Boolean(instance.database.session ?? instance.database.transaction);
  if (!target && !anonKey && !hasDb) {
    throw new InstanceCapabilityError(
      instance.name,
      'part to check (database, api with anonKey or publishableKey, or dokploy)',
      `add database.session, api { url, anonKey } or a dokploy compose to instance "${instance.name}" in supaops.config.json.`,
    );
  }
  const { fetch } = deployOptions(ctx);
  const report = await sh.checkInstanceHealth({
    ...(target ? { dokploy: { client: target.client, composeId: target.composeId } } : {}),
    ...(api && anonKey
      ? {
          api: {
            url: api.url,
            ...(api.anonKey ? { anonKey: api.anonKey } : {}),
            ...(api.publishableKey ? { publishableKey: api.publishableKey } : {}),
            ...(api.serviceRoleKey ? { serviceKey: api.serviceRoleKey } : {}),
            ...(api.secretKey ? { secretKey: api.secretKey } : {}),
          },
        }
      : {}),
    ...(hasDb ? { database: await ctx.pool(instance) } : {}),
    ...(fetch ? { fetch } : {}),
    signal: ctx.signal,
  });
  const { logs, ...rest } = report;
  const structured: HealthOutput = {
    ok: report.ok,
    report: {
      ...rest,
      ...(notes.length ? { notes } : {}),
      ...(logs.length ? { logs: ctx.untrusted('the logs of the failing services', logs) } : {}),
    },
  };
  const bad = report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.reason}`);
  const c = report.connections;
  return {
    structured,
    text: `${instance.name}${target ? ` (compose ${target.composeId})` : ''}: ${report.ok ? 'healthy' : 'unhealthy'}.${bad.length ? `\n${bad.join('\n')}` : ''}${c ? `\nconnections: ${c.used}/${c.maxConnections} (${c.level})` : ''}${[...report.skipped, ...notes].map((s) => `\nnot checked: ${s}`).join('')}`,
  };
}
