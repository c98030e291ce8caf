import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { CloneEvent, CloneInstanceInput } from '@supaops/selfhost';
import { z } from 'zod';
import { selfhost } from '../../libs.js';
import { defineTool, type ToolContext } from '../../registry/types.js';
import { safeJson } from '../../safety/untrusted.js';
import { databaseUrl } from '../backups/storage.js';
import { instanceArg, looseRecord, WRITE } from '../common.js';
import { resolvePath } from '../env-source.js';
import { cloneData, cloneFailed, cloneRefusal, seedCloneSecrets } from './clone-support.js';
import { validationOf, validationSchema } from './deploy-result.js';
import { deployOptions, dokployServer, dokployTargetOf, historyFor } from './dokploy.js';
import { type PhaseProgress, phaseProgress } from './phase-progress.js';
import { slug, smtpAnswer, smtpArg } from './wizard-input.js';

const name = z.string().min(1).max(100).optional();
const input = z.object({
  instance: instanceArg,
  name: z.string().min(1).max(63).optional(),
  project: name,
  environment: name,
  server: name.describe('dokployServers name (default: the source one)'),
  host: z.string().min(1).max(253).optional().describe('Absent: a generated domain'),
  copyData: z.boolean().optional(),
  targetDb: z
    .string()
    .max(2048)
    .optional()
    .describe("The clone's database URL for copyData (no password: its POSTGRES_PASSWORD)"),
  smtp: smtpArg.optional(),
  secretsFile: z.string().min(1).max(4096),
});
export type CloneArgs = z.output<typeof input>;

/**
 * The source compose, the Dokploy server the clone goes to (another dokployServers entry, or
 * the source's), its history and the clone's state file: one per source, server and answers, so
 * a cancelled clone resumes where it stopped and another clone of the same source does not.
 * `input` is cloneInstance's (and planClone's) input without the progress callback.
 */
async function prepare(args: CloneArgs, ctx: ToolContext) {
  const instance = await ctx.instance(
    args.instance,
    args.copyData ? ['dokploy', 'database'] : ['dokploy'],
  );
  const smtp = args.smtp === undefined ? undefined : smtpAnswer(args.smtp);
  if (smtp?.mode === 'smtp') ctx.addSecrets([smtp.pass, encodeURIComponent(smtp.pass)]);
  const [sh, source] = await Promise.all([selfhost(), dokployTargetOf(instance, ctx)]);
  const server = args.server ? await dokployServer(args.server, ctx) : undefined;
  const serverName = server?.name ?? source.serverName;
  const { secretsFile: _file, instance: _instance, ...answers } = args;
  const key = createHash('sha256')
    .update(safeJson({ source: source.composeId, serverName, ...answers }))
    .digest('hex')
    .slice(0, 12);
  const statePath = join(
    ctx.runtime.loaded.paths.state,
    'clone',
    `${slug(serverName)}-${key}.json`,
  );
  const secretsFile = resolvePath(args.secretsFile, ctx);
  const data = args.copyData ? cloneData(args, databaseUrl(instance), ctx) : undefined;
  const o = deployOptions(ctx);
  const input: CloneInstanceInput = {
    client: source.client,
    composeId: source.composeId,
    history: await historyFor(serverName, ctx),
    ...(server || args.project || args.environment
      ? {
          target: {
            ...(server ? { client: server.client } : {}),
            ...(args.project ? { projectName: args.project } : {}),
            ...(args.environment ? { environmentName: args.environment } : {}),
          },
        }
      : {}),
    ...(args.name ? { name: args.name } : {}),
    domain: args.host ? { mode: 'own', host: args.host } : { mode: 'generated' },
    ...(smtp ? { smtp } : {}),
    secretsOutput: { mode: 'file', path: secretsFile },
    statePath,
    ...(data ? { data: data.options } : {}),
    signal: ctx.signal,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.pollMs ? { deployPollMs: o.pollMs } : {}),
    ...(o.validateAttempts ? { validateAttempts: o.validateAttempts } : {}),
    ...(o.validateRetryMs !== undefined ? { validateRetryMs: o.validateRetryMs } : {}),
  };
  return { sh, instance, source, server, serverName, statePath, secretsFile, data, input };
}

/** Clone events as progress; the warnings are kept for the result's notes too. */
function progressOf(progress: PhaseProgress, steps: number, warnings: string[]) {
  return (e: CloneEvent) => {
    if (e.type === 'phase') progress.milestone(`${e.phase} ${e.status}`);
    else if (e.type === 'progress') progress.note(`${e.phase}: ${e.message}`);
    else if (e.type === 'warning') {
      warnings.push(`${e.code}: ${e.message}`);
      progress.milestone(`${e.phase} warning ${e.code}: ${e.message}`);
    } else if (e.event.type === 'step-start')
      progress.milestone(`wizard ${e.event.index + 1}/${steps} ${e.event.step}`);
    else if (e.event.type === 'progress')
      progress.note(`wizard ${e.event.step}: ${e.event.message}`);
    else if (e.event.type === 'warning')
      progress.milestone(`wizard ${e.event.step} warning ${e.event.code}: ${e.event.message}`);
  };
}

export default defineTool({
  name: 'dokploy_clone_instance',
  title: 'Clone instance',
  description:
    "A new compose from the instance's: same file and settings, fresh secrets (to secretsFile only), own or generated host; copyData copies data, proves row counts.",
  group: 'selfhost',
  annotations: WRITE,
  write: true,
  input,
  output: z.object({
    source: looseRecord,
    clone: looseRecord,
    anonKey: z.string(),
    secretsFile: z.string(),
    validation: validationSchema,
    data: looseRecord.optional(),
    notes: z.array(z.string()),
  }),
  confirmWhen: 'always (the plan first)',
  confirm: () => true,
  async dryRun(args, ctx) {
    const { sh, instance, server, serverName, statePath, secretsFile, data, input } = await prepare(
      args,
      ctx,
    );
    // selfhost's plan fails where the clone would (a git-sourced, non-Supabase or ciphertext
    // source, SMTP it cannot use): before a token is issued
    const plan = await sh.planClone(input).catch(async (e: unknown) => {
      throw await cloneRefusal(e);
    });
    const c = plan.clone;
    const host = c.host ?? `(a domain generated by ${serverName})`;
    return {
      summary: `Would clone ${instance.name} (compose ${plan.source.composeId}, ${plan.source.name}) as "${c.name}" on Dokploy ${serverName} at ${host}${data ? ', copy the data and compare the row counts' : ''}: ${plan.carried.length} settings carried, ${plan.regenerated.length} secrets and keys fresh, ${plan.mounts.length} file mounts copied; the source is only read.`,
      details: {
        source: { instance: instance.name, ...plan.source },
        server: server ? server.name : `${serverName} (the source's)`,
        dokploy: c.dokploy,
        ...(c.serverId ? { serverId: c.serverId } : {}),
        project: c.projectName,
        ...(c.environmentName ? { environment: c.environmentName } : {}),
        name: c.name,
        domain: host,
        smtp: `${plan.smtp} (${args.smtp === undefined ? "the source's" : 'given'})`,
        copyData: data ? data.shown : false,
        carried: [...plan.carried],
        regenerated: [...plan.regenerated],
        mounts: [...plan.mounts],
        warnings: plan.warnings.map((w) => `${w.code}: ${w.message}`),
        create: [
          'the compose with the source compose file and the carried settings, and its file mounts',
          'fresh secrets and keys (written only to the secrets file)',
          `domain ${host} (https)`,
          'one deployment, then the HTTP checks with the clone keys',
        ],
        secretsFile,
        stateFile: statePath,
      },
    };
  },
  async handler(args, ctx) {
    const { sh, instance, source, server, statePath, secretsFile, input } = await prepare(
      args,
      ctx,
    );
    // a milestone per phase start and end, and one per wizard step
    const steps = sh.WIZARD_STEPS.length;
    const progress = phaseProgress(ctx, steps + (args.copyData ? 12 : 8));
    const warnings: string[] = [];
    const cloneInput: CloneInstanceInput = {
      ...input,
      onEvent: progressOf(progress, steps, warnings),
    };
    const files = { secretsFile, statePath };
    const result = await sh
      .cloneInstance(cloneInput)
      .catch((error: unknown) => cloneFailed(error, files, ctx));
    const client = server?.client ?? source.client;
    await seedCloneSecrets(files, { client, composeId: result.clone.composeId }, ctx);
    const s = result.summary;
    ctx.reveal(s.anonKey);
    progress.done();
    const notes = [...s.notes, ...warnings];
    const structured = {
      source: { instance: instance.name, ...result.source },
      clone: {
        ...result.clone,
        studioUrl: s.studioUrl,
        connectionStrings: { ...s.connectionStrings },
        regenerated: [...result.regenerated],
        carried: [...result.carried],
        ...(result.mounts
          ? {
              mounts: {
                copied: result.mounts.copied.length,
                skipped: result.mounts.skipped.map((m) => `${m.mountPath}: ${m.reason}`),
              },
            }
          : {}),
        ran: [...result.wizard.ran],
      },
      anonKey: s.anonKey,
      secretsFile,
      validation: validationOf(result.validation, ctx),
      ...(result.data
        ? {
            data: {
              strategy: result.data.strategy,
              tables: result.data.tables,
              rows: result.data.rows,
              rowCounts: result.data.rowCounts.map((r) => ({ ...r })),
            },
          }
        : {}),
      notes,
    };
    return {
      structured,
      text: `Cloned ${instance.name} into compose ${result.clone.composeId} at ${result.clone.publicUrl}; checks ${result.validation.ok ? 'passed' : 'FAILED'}${result.data ? `; ${result.data.tables} tables and ${result.data.rows} rows copied, row counts equal` : ''}. Secrets: ${secretsFile} (0600).\n${safeJson(structured)}`,
    };
  },
});
