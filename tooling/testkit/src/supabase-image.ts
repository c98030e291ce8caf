import { existsSync } from 'node:fs';
import { TestkitError } from './errors.js';

/** The genuine image the Supabase-like bootstrap approximates. */
export const SUPABASE_POSTGRES_IMAGE = 'supabase/postgres:15.8.1.085';

/** Whether a Docker engine is reachable (a socket or DOCKER_HOST), not merely the docker CLI. */
export function dockerAvailable(env: NodeJS.ProcessEnv = process.env): {
  available: boolean;
  reason: string;
} {
  if (env.DOCKER_HOST) return { available: true, reason: `DOCKER_HOST=${env.DOCKER_HOST}` };
  for (const socket of ['/var/run/docker.sock', '/run/docker.sock']) {
    if (existsSync(socket)) return { available: true, reason: socket };
  }
  return {
    available: false,
    reason:
      'no Docker engine (no DOCKER_HOST, no /var/run/docker.sock): tests against the genuine supabase/postgres image are skipped',
  };
}

export interface SupabaseImageServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Runs the genuine supabase/postgres image through testcontainers, where a Docker engine
 * exists. testcontainers is an optional dependency, loaded only here.
 */
export async function startSupabaseImage(
  options: { image?: string; password?: string } = {},
): Promise<SupabaseImageServer> {
  const docker = dockerAvailable();
  if (!docker.available) {
    throw new TestkitError(
      'DOCKER_UNAVAILABLE',
      `${docker.reason}. Fix: start a Docker engine or set DOCKER_HOST.`,
    );
  }
  const moduleName = 'testcontainers';
  let tc: typeof import('testcontainers');
  try {
    tc = (await import(moduleName)) as typeof import('testcontainers');
  } catch (error) {
    throw new TestkitError(
      'TESTCONTAINERS_MISSING',
      'The testcontainers package is not installed. Fix: pnpm add -D testcontainers',
      { cause: error },
    );
  }
  const password = options.password ?? 'postgres';
  const container = await new tc.GenericContainer(options.image ?? SUPABASE_POSTGRES_IMAGE)
    .withEnvironment({ POSTGRES_PASSWORD: password })
    .withExposedPorts(5432)
    .withWaitStrategy(tc.Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  return {
    url: `postgres://supabase_admin:${encodeURIComponent(password)}@${container.getHost()}:${container.getMappedPort(5432)}/postgres`,
    async stop() {
      await container.stop();
    },
  };
}
