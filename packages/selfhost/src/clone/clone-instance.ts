import { dokploySlug } from '../doctor/names.js';
import { parseEnv, toEnvRecord } from '../env/parse.js';
import { parseInput } from '../errors.js';
import type { DeploymentReport } from '../validate/validate-deployment.js';
import type { WizardInput } from '../wizard/input.js';
import { runSetupWizard, type WizardSummary } from '../wizard/run-wizard.js';
import {
  createWizardStateStore,
  type WizardState,
  type WizardStateStore,
} from '../wizard/state-store.js';
import { WizardAbortedError } from '../workflow-errors.js';
import { type CloneDataResult, copyCloneData } from './clone-data.js';
import { CloneAbortedError } from './clone-errors.js';
import {
  type CloneAnswers,
  type CloneEvent,
  type CloneInstanceInput,
  type ClonePhase,
  cloneInputSchema,
} from './clone-input.js';
import { cloneNames, cloneWarnings } from './clone-names.js';
import { type CloneSource, readCloneSource } from './clone-source.js';
import { copyFileMounts, type MountCopyResult } from './mounts.js';
import {
  carriedSettings,
  cloneRedirectUrls,
  cloneSiteUrl,
  cloneSmtp,
  freshSecrets,
} from './source-settings.js';

export interface CloneResult {
  readonly source: { composeId: string; name: string; appName: string };
  readonly clone: {
    composeId: string;
    appName: string;
    name: string;
    projectName: string;
    environmentName?: string;
    host: string;
    publicUrl: string;
    generatedDomain: boolean;
    /** The Dokploy API the clone lives on. */
    dokploy: string;
  };
  /** Names of the source settings the clone took over (values not shown). */
  readonly carried: readonly string[];
  /** Names of the secrets and keys generated fresh for the clone. */
  readonly regenerated: readonly string[];
  /** The file mounts copied (absent when a resumed run had already deployed). */
  readonly mounts?: MountCopyResult;
  readonly wizard: { ran: readonly string[]; skipped: readonly string[] };
  readonly summary: WizardSummary;
  /** The post-deploy validation with the clone's own keys. */
  readonly validation: DeploymentReport;
  readonly data?: CloneDataResult;
  /** The source's env and compose file are byte-identical to what was read at the start. */
  readonly sourceUnchanged: boolean;
  /** Only with `secretsOutput: { mode: 'print' }`, once. */
  readonly secrets?: Record<string, string>;
}

/** The wizard's state, seeded with the clone's fresh secrets; in memory unless a path is given. */
function seededStore(inner: WizardStateStore | undefined, seed: WizardState): WizardStateStore {
  let memory: WizardState | undefined;
  return {
    async load() {
      return (inner ? await inner.load() : memory) ?? structuredClone(seed);
    },
    async save(state) {
      if (inner) await inner.save(state);
      else memory = structuredClone(state);
    },
  };
}

function checkAbort(signal: AbortSignal | undefined, phase: ClonePhase): void {
  if (signal?.aborted) throw new CloneAbortedError(phase, { cause: signal.reason });
}

async function cloneHost(
  o: CloneAnswers,
  existing: WizardState | undefined,
  names: { projectName: string; composeName: string; serverId: string | undefined },
): Promise<{ host: string; generated: boolean }> {
  const stored = existing?.steps.domain?.data?.host;
  if (typeof stored === 'string') return { host: stored, generated: o.domain.mode === 'generated' };
  if (o.domain.mode === 'own') return { host: o.domain.host.toLowerCase(), generated: false };
  // the wizard's own formula, so a generated name looks the same as one the wizard makes
  const client = o.target?.client ?? o.client;
  const host = await client.domain.generateDomain(
    {
      appName: `${dokploySlug(names.projectName)}-${names.composeName}`,
      ...(names.serverId ? { serverId: names.serverId } : {}),
    },
    o.signal ? { signal: o.signal } : {},
  );
  return { host: host.toLowerCase(), generated: true };
}

function wizardAnswers(
  o: CloneAnswers,
  src: CloneSource,
  names: { projectName: string; composeName: string; serverId: string | undefined },
  host: string,
  environmentName: string | undefined,
): WizardInput {
  const siteUrl = cloneSiteUrl(src.env, o.siteUrl);
  const redirects = cloneRedirectUrls(src.env, host, o.additionalRedirectUrls);
  return {
    projectName: names.projectName,
    ...(environmentName ? { environmentName } : {}),
    composeName: names.composeName,
    ...(names.serverId ? { serverId: names.serverId } : {}),
    smtp: o.smtp ?? cloneSmtp(src.env),
    domain: { mode: 'own', host },
    ...(siteUrl ? { siteUrl } : {}),
    ...(redirects ? { additionalRedirectUrls: redirects } : {}),
    compose: { source: 'own', composeFile: src.composeFile, env: carriedSettings(src.env) },
    secretsOutput: o.secretsOutput,
    functionsVerifyJwt: (src.env.FUNCTIONS_VERIFY_JWT ?? 'true').toLowerCase() !== 'false',
    ...(o.deployTimeoutMs ? { deployTimeoutMs: o.deployTimeoutMs } : {}),
    ...(o.deployPollMs ? { deployPollMs: o.deployPollMs } : {}),
    ...(o.validateAttempts ? { validateAttempts: o.validateAttempts } : {}),
    ...(o.validateRetryMs !== undefined ? { validateRetryMs: o.validateRetryMs } : {}),
  };
}

/**
 * Clones a Supabase compose into a new one: the same compose file (so the same image tags), the
 * source's non-secret settings and file mounts, fresh secrets and keys, URLs of its own domain,
 * in the source's project and environment or another (on this Dokploy or another one). It drives
 * the setup wizard's own steps with answers derived from the source, so every write is recorded
 * first, deploys run one at a time per server, and the clone is validated with its own keys.
 * With `data`, the source's data is copied (backup and restore by default) and the row counts of
 * every table are proven equal. The source is only read.
 */
export async function cloneInstance(input: CloneInstanceInput): Promise<CloneResult> {
  const o = parseInput('cloneInstance', cloneInputSchema, input);
  const emit = (event: CloneEvent) => {
    try {
      o.onEvent?.(event);
    } catch {
      // a listener's bug must not break a half-made clone
    }
  };
  const signal = o.signal;
  checkAbort(signal, 'source');
  emit({ type: 'phase', phase: 'source', status: 'start' });
  const src = await readCloneSource(o.client, o.composeId, signal);
  emit({
    type: 'phase',
    phase: 'source',
    status: 'done',
    detail: { name: src.name, appName: src.appName, mounts: src.mounts.length },
  });
  const targetClient = o.target?.client ?? o.client;
  const names = cloneNames(o, src);
  const { projectName, environmentName } = names;
  for (const w of cloneWarnings(src).filter((x) => x.code === 'CLONE_PHONE_SIGNUP_OFF'))
    emit({ type: 'warning', phase: 'source', ...w });

  const inner = o.statePath ? createWizardStateStore(o.statePath) : undefined;
  const existing = await inner?.load();
  const { host, generated } = await cloneHost(o, existing, names);
  const secrets = await freshSecrets(src.env);
  const seed: WizardState = { version: 1, projectName, steps: {}, secrets };
  const answers = wizardAnswers(o, src, names, host, environmentName);
  let mounts: MountCopyResult | undefined;
  checkAbort(signal, 'wizard');
  emit({ type: 'phase', phase: 'wizard', status: 'start', detail: { host } });
  let wizard: Awaited<ReturnType<typeof runSetupWizard>>;
  try {
    wizard = await runSetupWizard(answers, {
      client: targetClient,
      state: seededStore(inner, seed),
      history: o.history,
      onEvent: (event) => emit({ type: 'wizard', event }),
      ...(signal ? { signal } : {}),
      ...(o.fetch ? { httpFetch: o.fetch } : {}),
      onComposeReady: async ({ composeId }) => {
        emit({ type: 'phase', phase: 'mounts', status: 'start', detail: { composeId } });
        mounts = await copyFileMounts(
          src.mounts,
          { client: targetClient, history: o.history, composeId },
          signal,
        );
        for (const s of mounts.skipped)
          emit({
            type: 'warning',
            phase: 'mounts',
            code: 'CLONE_MOUNT_SKIPPED',
            message: `${s.type} mount ${s.mountPath} not copied: ${s.reason}`,
          });
        emit({
          type: 'phase',
          phase: 'mounts',
          status: 'done',
          detail: { copied: mounts.copied.length, unchanged: mounts.unchanged.length },
        });
      },
    });
  } catch (error) {
    if (WizardAbortedError.isInstance(error))
      throw new CloneAbortedError(`wizard: ${error.step}`, { cause: error });
    throw error;
  }
  emit({ type: 'phase', phase: 'wizard', status: 'done', detail: { composeId: wizard.composeId } });

  const call = signal ? { signal } : {};
  const made = await targetClient.compose.one({ composeId: wizard.composeId }, call);
  let data: CloneDataResult | undefined;
  if (o.data) {
    checkAbort(signal, 'data');
    data = await copyCloneData(
      o.data,
      { composeId: src.composeId, appName: src.appName, env: src.env },
      {
        composeId: made.composeId,
        appName: made.appName,
        env: toEnvRecord(parseEnv(made.env ?? '')),
      },
      emit,
      signal,
    );
  }

  emit({ type: 'phase', phase: 'source-check', status: 'start' });
  const after = await o.client.compose.one({ composeId: src.composeId }, call);
  const sourceUnchanged =
    (after.env ?? '') === src.envText && (after.composeFile ?? '') === src.composeFile;
  if (!sourceUnchanged)
    emit({
      type: 'warning',
      phase: 'source-check',
      code: 'CLONE_SOURCE_CHANGED',
      message:
        'The source compose changed while the clone was made; the clone wrote nothing to it, so another writer did. The clone has the settings read at the start.',
    });
  emit({ type: 'phase', phase: 'source-check', status: 'done', detail: { sourceUnchanged } });
  return {
    source: { composeId: src.composeId, name: src.name, appName: src.appName },
    clone: {
      composeId: made.composeId,
      appName: made.appName,
      name: names.composeName,
      projectName,
      ...(environmentName ? { environmentName } : {}),
      host,
      publicUrl: `https://${host}`,
      generatedDomain: generated,
      dokploy: targetClient.baseUrl.api,
    },
    carried: Object.keys(carriedSettings(src.env)).sort(),
    regenerated: Object.keys(secrets).sort(),
    ...(mounts ? { mounts } : {}),
    wizard: { ran: wizard.ran, skipped: wizard.skipped },
    summary: wizard.summary,
    validation: wizard.validation,
    ...(data ? { data } : {}),
    sourceUnchanged,
    ...(wizard.secrets ? { secrets: wizard.secrets } : {}),
  };
}
