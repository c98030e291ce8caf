import { parseInput } from '../errors.js';
import { type CloneInstanceInput, cloneInputSchema } from './clone-input.js';
import { cloneNames, cloneWarnings } from './clone-names.js';
import { readCloneSource } from './clone-source.js';
import { carriedSettings, cloneSmtp, freshSecrets } from './source-settings.js';

/** What cloneInstance would do with the same input; nothing is written. */
export interface ClonePlan {
  readonly source: { composeId: string; name: string; appName: string; mounts: number };
  readonly clone: {
    name: string;
    projectName: string;
    environmentName?: string;
    /** The own host; absent for a generated one (Dokploy names it when the clone is made). */
    host?: string;
    generatedDomain: boolean;
    /** The Dokploy API the clone will live on. */
    dokploy: string;
    serverId?: string;
  };
  /** Names of the source settings the clone takes over (values not shown). */
  readonly carried: readonly string[];
  /** Names of the secrets and keys generated fresh. */
  readonly regenerated: readonly string[];
  /** File mounts to copy, by path (bind and volume mounts are warnings). */
  readonly mounts: readonly string[];
  readonly smtp: 'smtp' | 'development-autoconfirm';
  /** Whether the source's data will be copied and its row counts proven. */
  readonly data: boolean;
  readonly warnings: readonly { code: string; message: string }[];
}

/**
 * The clone's plan: reads the source and checks everything cloneInstance checks before its first
 * write (a raw Supabase compose, a KEY=VALUE env, complete SMTP settings or an answer for them,
 * the input), so a dry run fails where the clone would. It writes nothing and asks Dokploy for
 * no generated name.
 */
export async function planClone(input: CloneInstanceInput): Promise<ClonePlan> {
  const o = parseInput('planClone', cloneInputSchema, input);
  const src = await readCloneSource(o.client, o.composeId, o.signal);
  const names = cloneNames(o, src);
  const smtp = o.smtp ?? cloneSmtp(src.env);
  const secrets = await freshSecrets(src.env);
  return {
    source: {
      composeId: src.composeId,
      name: src.name,
      appName: src.appName,
      mounts: src.mounts.length,
    },
    clone: {
      name: names.composeName,
      projectName: names.projectName,
      ...(names.environmentName ? { environmentName: names.environmentName } : {}),
      ...(o.domain.mode === 'own' ? { host: o.domain.host.toLowerCase() } : {}),
      generatedDomain: o.domain.mode === 'generated',
      dokploy: (o.target?.client ?? o.client).baseUrl.api,
      ...(names.serverId ? { serverId: names.serverId } : {}),
    },
    carried: Object.keys(carriedSettings(src.env)).sort(),
    regenerated: Object.keys(secrets).sort(),
    mounts: src.mounts.filter((m) => m.type === 'file').map((m) => m.filePath ?? m.mountPath ?? ''),
    smtp: smtp.mode === 'smtp' ? 'smtp' : 'development-autoconfirm',
    data: o.data !== undefined,
    warnings: cloneWarnings(src),
  };
}
