import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { waitForDeployment } from '@supaops/dokploy-client';
import { parseEnv, toEnvRecord } from '@supaops/selfhost';
import { afterEach, expect } from 'vitest';
import { type CliResult, runCli, type TempHome, tempHome } from './cli.js';
import { type CliStack, startCliStack } from './stack.js';

/** The Supabase template deployed on the simulator, registered in a temp project as `shop`. */
export interface DokployInstance {
  s: CliStack;
  h: TempHome;
  composeId: string;
  /** The compose env right after the template's deploy. */
  env: string;
  /** The template's generated domain. */
  host: string;
  configPath: string;
  run(args: string[]): Promise<CliResult>;
}

export interface DeployOptions {
  /** Labels the instance `production: true`. */
  production?: boolean;
}

/**
 * A test file's stacks and temp HOMEs, stopped and removed after each test. `deploy(version)`
 * starts the Dokploy simulator at that version (with the gateway simulator behind its deploys),
 * deploys the Supabase template into project `shop` and writes a config with instance `shop`
 * and server `sim` (its key as `env:DOKPLOY_API_KEY`).
 */
export function useDokployInstances() {
  const started: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of started.splice(0).reverse()) await stop();
  });
  const home = async (extra: NodeJS.ProcessEnv = {}): Promise<TempHome> => {
    const h = await tempHome(extra);
    started.push(h.cleanup);
    return h;
  };
  return {
    home,
    async deploy(version: string, options: DeployOptions = {}): Promise<DokployInstance> {
      const s = await startCliStack(version);
      started.push(s.stop);
      const composeId = await deployTemplate(s, 'shop');
      const h = await home({ DOKPLOY_API_KEY: s.sim.apiKey });
      const configPath = path.join(h.project, 'supaops.config.json');
      await writeFile(
        configPath,
        JSON.stringify({
          version: 1,
          instances: {
            shop: {
              kind: 'dokploy',
              dokploy: { server: 'sim', composeId },
              ...(options.production ? { labels: { production: true } } : {}),
            },
          },
          dokployServers: { sim: { url: s.sim.url, apiKey: 'env:DOKPLOY_API_KEY' } },
        }),
      );
      const one = await s.client.compose.one({ composeId });
      return {
        s,
        h,
        composeId,
        env: one.env ?? '',
        host: one.domains?.[0]?.host as string,
        configPath,
        run: (args) => runCli(args, { cwd: h.project, env: h.env }),
      };
    },
  };
}

/** The Supabase template deployed into a new project of the stack's Dokploy; its composeId. */
export async function deployTemplate(s: CliStack, project: string): Promise<string> {
  const { environment } = await s.client.project.create({ name: project });
  const { composeId } = await s.client.compose.deployTemplate({
    environmentId: environment?.environmentId as string,
    id: 'supabase',
  });
  await s.client.compose.deploy({ composeId });
  await waitForDeployment(s.client, { composeId, intervalMs: 5, timeoutMs: 10_000 });
  return composeId;
}

/** The values of the stack's secret variables in an env text. */
export function secretValues(text: string): string[] {
  const env = toEnvRecord(parseEnv(text, { interpolate: false }));
  return ['JWT_SECRET', 'SERVICE_ROLE_KEY', 'ANON_KEY', 'POSTGRES_PASSWORD', 'DASHBOARD_PASSWORD']
    .map((k) => env[k] as string)
    .filter(Boolean);
}

export function expectAbsent(result: CliResult, values: string[]): void {
  for (const v of values) {
    expect(result.stdout).not.toContain(v);
    expect(result.stderr).not.toContain(v);
  }
}
