import { readFile } from 'node:fs/promises';
import type { WizardEvent, WizardResult, WizardState, WizardStateStore } from '@supaops/selfhost';
import { z } from 'zod';
import { McpServerError, ToolCancelledError } from '../../errors.js';
import { selfhost } from '../../libs.js';
import type { DryRun, ToolContext, ToolOutput } from '../../registry/types.js';
import { safeJson } from '../../safety/untrusted.js';
import { looseRecord } from '../common.js';
import { redactEnvSecrets, redactRecordSecrets } from '../env-source.js';
import { validationOf } from './deploy-result.js';
import { dokployServer, historyFor } from './dokploy.js';
import { smtpAnswer, type WizardArgs, wizardInput } from './wizard-input.js';

export const wizardOutput = z.object({
  composeId: z.string(),
  ran: z.array(z.string()),
  publicUrl: z.string(),
  anonKey: z.string(),
  connectionStrings: looseRecord,
  notes: z.array(z.string()),
  validation: looseRecord,
});
type Output = z.output<typeof wizardOutput>;

/** The state store of the library, with every generated secret joining the redactor on load and save. */
function seededStore(inner: WizardStateStore, ctx: ToolContext): WizardStateStore {
  return {
    async load() {
      const state = await inner.load();
      await redactRecordSecrets(state?.secrets, ctx);
      return state;
    },
    async save(state: WizardState) {
      await redactRecordSecrets(state.secrets, ctx);
      await inner.save(state);
    },
  };
}

async function open(args: WizardArgs, ctx: ToolContext) {
  const smtp = smtpAnswer(args.smtp ?? 'dev');
  if (smtp.mode === 'smtp') ctx.addSecrets([smtp.pass, encodeURIComponent(smtp.pass)]);
  const [sh, server] = await Promise.all([selfhost(), dokployServer(args.server, ctx)]);
  const path = sh.wizardStatePath(ctx.runtime.loaded.paths.state, server.name, args.project);
  return { sh, server, path, state: seededStore(sh.createWizardStateStore(path), ctx) };
}

/** The first call's plan: what exists, what would be created, where a re-run resumes. */
export async function planWizard(args: WizardArgs, ctx: ToolContext): Promise<DryRun> {
  const { sh, server, path, state } = await open(args, ctx);
  const input = wizardInput(args, ctx);
  // the answers are checked before any token is issued: the plan must be one that can run
  const checked = sh.wizardInputSchema.safeParse(input);
  if (!checked.success) {
    const issues = checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new McpServerError(
      'MCP_TOOL_FAILED',
      `The wizard answers are invalid (${issues.join('; ')}). Fix: correct them and call again; nothing was changed.`,
    );
  }
  const call = { signal: ctx.signal };
  const version = (await server.client.refreshVersion(call)).raw;
  const existing = (await server.client.project.all(call)).find((p) => p.name === args.project);
  const previous = await state.load();
  const done = sh.WIZARD_STEPS.filter((s) => previous?.steps[s]?.status === 'done');
  const resumeAt = sh.WIZARD_STEPS.find((s) => previous?.steps[s]?.status !== 'done');
  const host = args.host ?? '(a generated <project>-supabase domain)';
  const create = [
    ...(existing ? [] : [`project "${args.project}"`]),
    ...(args.environment ? [`environment "${args.environment}" (if missing)`] : []),
    `compose "supabase" from Dokploy's Supabase template (bundled copy if unreachable)`,
    `domain ${host} (https, Let's Encrypt, kong:8000)`,
    'generated secrets and keys (written only to the secrets file)',
    'one deployment, then the HTTP checks',
  ];
  const notes = [
    ...(args.smtp === undefined || args.smtp === 'dev'
      ? ['No SMTP: development mode, sign-ups are confirmed without mail.']
      : []),
    ...(version.localeCompare('v0.25.6', undefined, { numeric: true }) < 0
      ? [
          `Dokploy ${version} signs identical, role-less template keys: they are replaced before the first deploy.`,
        ]
      : []),
  ];
  return {
    summary: resumeAt
      ? `Would deploy Supabase as project "${args.project}" on Dokploy ${server.name} (${version}) at ${host}${done.length ? `, resuming at step ${resumeAt}` : ''}.`
      : `Project "${args.project}" is already deployed by the wizard: a run returns its summary.`,
    details: {
      server: server.name,
      dokployVersion: version,
      project: args.project,
      projectExists: existing !== undefined,
      environment: args.environment ?? '(the default one)',
      domain: host,
      create,
      done,
      secretsFile: input.secretsOutput.mode === 'file' ? input.secretsOutput.path : '',
      stateFile: path,
      notes,
    },
  };
}

function progressOf(ctx: ToolContext, steps: readonly string[]) {
  const total = steps.length;
  const at = (step: string) => Math.max(0, steps.indexOf(step));
  return (e: WizardEvent) => {
    if (e.type === 'step-start') {
      ctx.progress(e.index, total, `${e.index + 1}/${total} ${e.step}`, true);
    } else if (e.type === 'progress') {
      ctx.progress(at(e.step), total, `${e.step}: ${e.message}`);
    } else if (e.type === 'warning') {
      ctx.progress(at(e.step), total, `${e.step} warning ${e.code}: ${e.message}`, true);
    }
  };
}

/** Runs (or resumes) the wizard; a cancelled call leaves it resumable. */
export async function runWizard(args: WizardArgs, ctx: ToolContext): Promise<ToolOutput<Output>> {
  const { sh, server, state } = await open(args, ctx);
  const input = wizardInput(args, ctx);
  const total = sh.WIZARD_STEPS.length;
  let result: WizardResult;
  try {
    result = await sh.runSetupWizard(input, {
      client: server.client,
      state,
      history: await historyFor(server.name, ctx),
      onEvent: progressOf(ctx, sh.WIZARD_STEPS),
      signal: ctx.signal,
      ...(ctx.runtime.options.selfhost?.httpFetch
        ? { httpFetch: ctx.runtime.options.selfhost.httpFetch }
        : {}),
    });
  } catch (error) {
    if (sh.WizardAbortedError.isInstance(error)) {
      throw new ToolCancelledError(
        'the setup wizard',
        `It stopped at step "${error.step}"; every step before it is recorded in the state file.`,
        'call the tool again with the same arguments: it resumes there without creating anything twice.',
        { cause: error },
      );
    }
    throw error;
  }
  const file = input.secretsOutput.mode === 'file' ? input.secretsOutput.path : '';
  // a run that only resumed the summary never saw the secrets: read them back to redact them
  const written = await readFile(file, 'utf8').catch(() => '');
  await redactEnvSecrets(written, ctx);
  const s = result.summary;
  ctx.reveal(s.anonKey);
  ctx.progress(total, total, 'done', true);
  const v = result.validation;
  const structured: Output = {
    composeId: result.composeId,
    ran: result.ran,
    publicUrl: s.publicUrl,
    anonKey: s.anonKey,
    connectionStrings: { ...s.connectionStrings },
    notes: s.notes,
    validation: validationOf(v, ctx),
  };
  return {
    structured,
    text: `Supabase is up at ${s.publicUrl} (Dokploy ${result.dokployVersion}, compose ${result.composeId}, service key ${s.serviceKey}); checks ${v.ok ? 'passed' : 'FAILED'}. Secrets: ${file} (0600). Ran: ${result.ran.join(', ') || 'nothing'}.\n${safeJson(structured)}`,
  };
}
