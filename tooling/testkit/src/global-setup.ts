import type { TestProject } from 'vitest/node';
import { startSandboxLeakGuard } from './sandbox-leaks.js';
import { startTestServer, type TestServerInfo } from './test-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    supaopsPg: TestServerInfo;
  }
}

/**
 * Vitest globalSetup: one PostgreSQL per test run, shared by every test file of the run. The end
 * of the run fails when a sandbox started under one of its temp HOMEs is still on disk.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const checkLeaks = startSandboxLeakGuard();
  const server = await startTestServer();
  project.provide('supaopsPg', server.info);
  return async () => {
    await server.stop();
    checkLeaks();
  };
}
