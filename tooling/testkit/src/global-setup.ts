import type { TestProject } from 'vitest/node';
import { startTestServer, type TestServerInfo } from './test-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    supaopsPg: TestServerInfo;
  }
}

/** Vitest globalSetup: one PostgreSQL per test run, shared by every test file of the run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestServer();
  project.provide('supaopsPg', server.info);
  return () => server.stop();
}
