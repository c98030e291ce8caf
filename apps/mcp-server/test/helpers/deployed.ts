import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createDokployClient, type DokployClient } from '@supaops/dokploy-client';
import { isSecretVariable, parseEnv, toEnvRecord } from '@supaops/selfhost';
import { inProcess, ok } from './clients.js';
import type { Stack } from './stack.js';

/** The deploy waits and HTTP checks of the tests: short polls, Traefik played by the stack. */
export const fastSelfhost = (stack: Stack) => ({
  httpFetch: stack.fetch,
  deployPollMs: 5,
  validateAttempts: 2,
  validateRetryMs: 5,
});

export const SMTP_PASS = 'Qw7smtpPassValue99';
const SMTP = `smtp://apikey:${SMTP_PASS}@smtp.mailprovider.net:587?from=auth@mail.acme.dev`;

/** Writes supaops.config.json with these instances and Dokploy servers (API keys by env ref). */
export async function writeConfig(
  dir: string,
  instances: Record<string, unknown>,
  dokployServers: Record<string, unknown>,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'supaops.config.json'),
    JSON.stringify({ version: 1, instances, dokployServers }),
  );
}

/** The secret values of an env text (the anon key is public), for the secret scans. */
export const envSecrets = (env: string): string[] =>
  Object.entries(toEnvRecord(parseEnv(env)))
    .filter(([k, v]) => isSecretVariable(k) && k !== 'ANON_KEY' && v.length >= 12)
    .map(([, v]) => v);

/**
 * Deploys Supabase as `project` through dokploy_deploy_supabase of a server whose state dir is
 * the home's, so the history the tools record into and roll back from holds the deploy.
 */
export async function deployThroughServer(
  stack: Stack,
  options: {
    client: DokployClient;
    root: string;
    env: NodeJS.ProcessEnv;
    project: string;
    host: string;
  },
): Promise<{ composeId: string; env: string; outputs: unknown[] }> {
  const dir = join(options.root, `deploy-${options.project}`);
  await writeConfig(dir, {}, { sim: { url: stack.sim.url, apiKey: 'env:T_DOKPLOY_KEY' } });
  const deployer = await inProcess({
    cwd: dir,
    env: options.env,
    sandbox: false,
    secrets: [stack.sim.apiKey, SMTP_PASS],
    selfhost: fastSelfhost(stack),
  });
  try {
    const res = await deployer.call('dokploy_deploy_supabase', {
      project: options.project,
      host: options.host,
      siteUrl: 'https://app.acme.dev',
      smtp: SMTP,
      secretsFile: join(options.root, `${options.project}.env`),
    });
    const { composeId } = ok<{ composeId: string }>(res);
    const env = (await options.client.compose.one({ composeId })).env ?? '';
    return { composeId, env, outputs: [res] };
  } finally {
    await deployer.close();
  }
}

/** A client of the stack's simulator for the tests' own reads and writes. */
export function simClient(stack: Stack): DokployClient {
  return createDokployClient({
    baseUrl: stack.sim.url,
    apiKey: stack.sim.apiKey,
    logger: { warn: () => {} },
    retry: false,
  });
}
