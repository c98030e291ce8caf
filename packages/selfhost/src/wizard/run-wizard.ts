import { z } from 'zod';
import { parseInput, SelfhostError } from '../errors.js';
import type { DeploymentReport } from '../validate/validate-deployment.js';
import { WizardAbortedError, WizardStateError, WizardStepError } from '../workflow-errors.js';
import type { StepContext, WizardDeps, WizardStep } from './context.js';
import { WIZARD_STEPS, type WizardEvent, type WizardStepName } from './events.js';
import { type WizardInput, wizardInputSchema } from './input.js';
import type { WizardState } from './state-store.js';
import { connectStep } from './steps/connect.js';
import { deployStep } from './steps/deploy.js';
import { domainStep } from './steps/domain.js';
import { projectStep } from './steps/project.js';
import { reviewStep } from './steps/review.js';
import { secretsStep } from './steps/secrets.js';
import { smtpStep } from './steps/smtp.js';
import { summaryStep } from './steps/summary.js';
import { validateStep } from './steps/validate.js';

const STEPS: Record<WizardStepName, WizardStep> = {
  connect: connectStep,
  project: projectStep,
  secrets: secretsStep,
  smtp: smtpStep,
  domain: domainStep,
  review: reviewStep,
  deploy: deployStep,
  validate: validateStep,
  summary: summaryStep,
};

export interface WizardSummary {
  publicUrl: string;
  studioUrl: string;
  anonKey: string;
  /** Masked (first/last 4 characters). */
  serviceKey: string;
  /** Password masked; the full strings are in the secrets output. */
  connectionStrings: { session: string; transaction: string };
  secrets: { mode: 'file'; path: string } | { mode: 'print' };
  notes: string[];
}

export interface WizardResult {
  /** Steps this run executed; the others were done by an earlier run. */
  ran: WizardStepName[];
  skipped: WizardStepName[];
  composeId: string;
  dokployVersion: string;
  summary: WizardSummary;
  validation: DeploymentReport;
  /** Only with `secretsOutput: { mode: 'print' }`, and only on the run that finished: print once. */
  secrets?: Record<string, string>;
}

const depsSchema = z.object({
  client: z.custom<WizardDeps['client']>(
    (v) => typeof v === 'object' && v !== null && 'compose' in v && 'getVersion' in v,
    'a DokployClient from @supaops/dokploy-client',
  ),
  state: z.custom<WizardDeps['state']>(
    (v) => typeof v === 'object' && v !== null && 'load' in v && 'save' in v,
    'a WizardStateStore (createWizardStateStore)',
  ),
  history: z.custom<WizardDeps['history']>(
    (v) => typeof v === 'object' && v !== null && 'record' in v,
    'a HistoryStore (createHistoryStore)',
  ),
  onEvent: z.custom<NonNullable<WizardDeps['onEvent']>>((v) => typeof v === 'function').optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
  httpFetch: z.custom<typeof fetch>((v) => typeof v === 'function').optional(),
  onComposeReady: z
    .custom<NonNullable<WizardDeps['onComposeReady']>>((v) => typeof v === 'function')
    .optional(),
});

function errorInfo(error: unknown): { code: string; message: string } {
  const e = error as { code?: unknown; message?: unknown };
  return {
    code: typeof e.code === 'string' ? e.code : 'UNKNOWN',
    message: typeof e.message === 'string' ? e.message : String(error),
  };
}

/**
 * The setup wizard, non-interactive: every answer in `input`, progress as events. A re-run with
 * the same state store resumes at the first step not done; every step is idempotent.
 */
export async function runSetupWizard(input: WizardInput, deps: WizardDeps): Promise<WizardResult> {
  const answers = parseInput('runSetupWizard', wizardInputSchema, input);
  const d = parseInput('runSetupWizard', depsSchema, deps) as WizardDeps;
  const loaded = await d.state.load();
  if (loaded && loaded.projectName !== answers.projectName) {
    throw new WizardStateError(
      `The wizard state file belongs to project "${loaded.projectName}", not "${answers.projectName}". Fix: pass another state path for this project, or the same project name.`,
    );
  }
  const state: WizardState = loaded ?? { version: 1, projectName: answers.projectName, steps: {} };
  const emit = (event: WizardEvent) => {
    try {
      d.onEvent?.(event);
    } catch {
      // a listener's bug must not break a half-done deployment
    }
  };
  const ran: WizardStepName[] = [];
  const skipped: WizardStepName[] = [];
  let delivered: Record<string, string> | undefined;
  for (const [index, name] of WIZARD_STEPS.entries()) {
    const previous = state.steps[name];
    if (previous?.status === 'done') {
      skipped.push(name);
      emit({ type: 'step-end', step: name, status: 'skipped', detail: previous.data });
      continue;
    }
    if (d.signal?.aborted) throw new WizardAbortedError(name, { cause: d.signal.reason });
    emit({
      type: 'step-start',
      step: name,
      index,
      total: WIZARD_STEPS.length,
      resumed: previous !== undefined,
    });
    const data: Record<string, unknown> = { ...(previous?.data ?? {}) };
    state.steps[name] = { status: 'running', at: new Date().toISOString(), data };
    await d.state.save(state);
    const ctx: StepContext = {
      answers,
      deps: d,
      state,
      data,
      of: <T>(step: WizardStepName) => (state.steps[step]?.data ?? {}) as T,
      emit: (event) => emit({ ...event, step: name } as WizardEvent),
      checkpoint: async (partial) => {
        Object.assign(data, partial);
        await d.state.save(state);
      },
    };
    try {
      const result = await STEPS[name].run(ctx);
      if (name === 'summary') {
        delivered = result.deliver as Record<string, string> | undefined;
        delete result.deliver;
        // delivered where the user asked: the state file forgets them
        delete state.secrets;
      }
      state.steps[name] = { status: 'done', at: new Date().toISOString(), data: result };
      await d.state.save(state);
      ran.push(name);
      emit({ type: 'step-end', step: name, status: 'done', detail: result });
    } catch (error) {
      const aborted = d.signal?.aborted === true;
      state.steps[name] = {
        status: aborted ? 'running' : 'failed',
        at: new Date().toISOString(),
        data,
        error: errorInfo(error),
      };
      await d.state.save(state);
      emit({ type: 'step-end', step: name, status: 'failed', error: errorInfo(error) });
      if (aborted) throw new WizardAbortedError(name, { cause: error });
      if (SelfhostError.isInstance(error)) throw error;
      throw new WizardStepError(
        name,
        `The setup wizard's step "${name}" failed: ${errorInfo(error).message} Fix: correct the cause, then run the wizard again with the same state file; it resumes at "${name}".`,
        { cause: error },
      );
    }
  }
  const summary = state.steps.summary?.data as unknown as WizardSummary;
  return {
    ran,
    skipped,
    composeId: String(state.steps.deploy?.data?.composeId),
    dokployVersion: String(state.steps.connect?.data?.version),
    summary,
    validation: state.steps.validate?.data?.report as DeploymentReport,
    ...(delivered ? { secrets: delivered } : {}),
  };
}
