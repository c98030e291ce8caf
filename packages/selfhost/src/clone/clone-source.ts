import type { DokployClient, DokployMount } from '@supaops/dokploy-client';
import { assertEnvWritable } from '../env/guard.js';
import { toEnvRecord } from '../env/parse.js';
import { SelfhostError } from '../errors.js';
import { supabaseMarkers } from '../ops/instances.js';
import { CloneSourceError } from './clone-errors.js';

/** What the clone reads from its source, once. */
export interface CloneSource {
  readonly composeId: string;
  readonly name: string;
  readonly appName: string;
  readonly envText: string;
  readonly env: Readonly<Record<string, string>>;
  readonly composeFile: string;
  readonly projectName: string | undefined;
  readonly environmentName: string | undefined;
  readonly serverId: string | undefined;
  readonly mounts: readonly DokployMount[];
}

/**
 * Reads the source compose and checks that it can be cloned: it answers, holds its compose file
 * (a raw compose, as the template makes), is a Supabase stack, and its env is KEY=VALUE text
 * (not Dokploy ciphertext).
 */
export async function readCloneSource(
  client: DokployClient,
  composeId: string,
  signal?: AbortSignal,
): Promise<CloneSource> {
  const call = signal ? { signal } : {};
  let detail: Awaited<ReturnType<DokployClient['compose']['one']>>;
  try {
    detail = await client.compose.one({ composeId }, call);
  } catch (cause) {
    if (SelfhostError.isInstance(cause)) throw cause;
    throw new CloneSourceError(
      composeId,
      `Dokploy did not return it (${(cause as Error).message}). Fix: check the composeId and the client's server (listSupabaseInstances lists the Supabase composes).`,
      { cause },
    );
  }
  const composeFile = detail.composeFile ?? '';
  if (composeFile.trim() === '')
    throw new CloneSourceError(
      composeId,
      'Dokploy holds no compose file for it (a git-sourced compose). Fix: clone a raw compose (the Supabase template and the wizard make raw ones), or copy the file into it first.',
    );
  const envText = detail.env ?? '';
  const doc = assertEnvWritable(envText);
  if (supabaseMarkers(composeFile, envText).length === 0)
    throw new CloneSourceError(
      composeId,
      'it is not a Supabase stack (too few Supabase services, images and keys). Fix: pass the composeId of a Supabase compose.',
    );
  const environment = detail.environment as
    | { environmentId: string; name?: string; project?: { name: string } }
    | undefined;
  let environmentName = environment?.name;
  if (environment && !environmentName) {
    environmentName = (
      await client.environment.one({ environmentId: environment.environmentId }, call)
    ).name;
  }
  return {
    composeId,
    name: detail.name,
    appName: detail.appName,
    envText,
    env: toEnvRecord(doc),
    composeFile,
    projectName: environment?.project?.name ?? detail.project?.name,
    environmentName,
    serverId: detail.serverId ?? undefined,
    mounts: detail.mounts ?? [],
  };
}
