import type { SandboxInfo } from '@supaops/sandbox';
import type { Colors } from '../../output/colors.js';
import { renderPairs } from '../../output/table.js';

export interface SandboxView {
  state: SandboxInfo['state'];
  dataDir: string;
  host: string;
  port: number | null;
  pid: number | null;
  superuser: string;
  version: string | null;
  binaries: { dir: string; source: string; version?: string } | null;
  extensions: { available: string[]; missing: string[] } | null;
  logFile: string | null;
  reused?: boolean;
  /** The superuser URL with the password as ***; the password stays in the data dir (0600). */
  url?: string;
}

export function sandboxView(info: SandboxInfo): SandboxView {
  return {
    state: info.state,
    dataDir: info.dataDir,
    host: info.host,
    port: info.port ?? null,
    pid: info.pid ?? null,
    superuser: info.superuser,
    version: info.version ?? null,
    binaries: info.binaries
      ? {
          dir: info.binaries.dir,
          source: info.binaries.source,
          ...(info.binaries.version ? { version: info.binaries.version } : {}),
        }
      : null,
    extensions: info.extensions ?? null,
    logFile: info.logFile ?? null,
  };
}

export function renderSandbox(view: SandboxView, c: Colors): string {
  const state = view.state === 'running' ? c.green(view.state) : c.yellow(view.state);
  return renderPairs([
    ['state', `${state}${view.reused ? ' (already running)' : ''}`],
    ['url', view.url],
    ['port', view.port ?? undefined],
    ['version', view.version ?? undefined],
    ['data dir', view.dataDir],
    ['log', view.logFile ?? undefined],
    [
      'missing extensions',
      view.extensions?.missing.length ? view.extensions.missing.join(', ') : undefined,
    ],
  ]);
}
