import type { DokployClient } from '@supaops/dokploy-client';
import { parseEnv, toEnvRecord } from '../env/parse.js';
import type { HistoryStore } from '../safety/history.js';
import { type DeploymentReport, validateDeployment } from '../validate/validate-deployment.js';
import { redeployCompose } from './redeploy.js';

export interface DeployAndValidateOptions {
  composeId: string;
  actor: string;
  title: string;
  /** The env now stored: its public URL and keys drive the validation. */
  env: string;
  validate?: boolean | undefined;
  timeoutMs?: number | undefined;
  pollMs?: number | undefined;
  validateAttempts?: number | undefined;
  validateRetryMs?: number | undefined;
  fetch?: typeof fetch | undefined;
  signal?: AbortSignal | undefined;
}

/** The deploy options as a write operation's parsed input holds them. */
type DeployTail = Pick<
  DeployAndValidateOptions,
  'validate' | 'timeoutMs' | 'pollMs' | 'validateAttempts' | 'validateRetryMs' | 'fetch' | 'signal'
>;

/**
 * Redeploys, then validates against the env's SUPABASE_PUBLIC_URL with its keys (when it has them).
 * `options` is the operation's parsed input: only its deploy options are read.
 */
export async function deployAndValidate(
  client: DokployClient,
  history: HistoryStore,
  step: Pick<DeployAndValidateOptions, 'composeId' | 'actor' | 'title' | 'env'>,
  options: DeployTail,
): Promise<{ deploymentId: string; validation?: DeploymentReport }> {
  const o: DeployAndValidateOptions = {
    ...step,
    validate: options.validate,
    timeoutMs: options.timeoutMs,
    pollMs: options.pollMs,
    validateAttempts: options.validateAttempts,
    validateRetryMs: options.validateRetryMs,
    fetch: options.fetch,
    signal: options.signal,
  };
  const deploymentId = await redeployCompose(client, history, o);
  if (o.validate === false) return { deploymentId };
  const env = toEnvRecord(parseEnv(o.env));
  const publicUrl = env.SUPABASE_PUBLIC_URL ?? env.API_EXTERNAL_URL;
  if (!publicUrl || !/^https?:\/\//.test(publicUrl) || !env.ANON_KEY || !env.SERVICE_ROLE_KEY)
    return { deploymentId };
  const validation = await validateDeployment({
    publicUrl: publicUrl.replace(/\/auth\/v1\/?$/, ''),
    anonKey: env.ANON_KEY,
    serviceKey: env.SERVICE_ROLE_KEY,
    client,
    composeId: o.composeId,
    attempts: o.validateAttempts ?? 10,
    retryMs: o.validateRetryMs ?? 3000,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  return { deploymentId, validation };
}
