import type { CloneAnswers } from './clone-input.js';
import type { CloneSource } from './clone-source.js';

/** Where the clone goes: its project, environment, compose name and server. */
export interface CloneNames {
  readonly projectName: string;
  readonly environmentName: string | undefined;
  readonly composeName: string;
  readonly serverId: string | undefined;
  /** Whether the clone lands on the source's Dokploy instance. */
  readonly sameDokploy: boolean;
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '') || 'supabase-clone';

/** The clone's names from the answers, defaulting to the source's project and environment. */
export function cloneNames(o: CloneAnswers, src: CloneSource): CloneNames {
  const targetClient = o.target?.client ?? o.client;
  const sameDokploy = targetClient.baseUrl.api === o.client.baseUrl.api;
  return {
    projectName: o.target?.projectName ?? src.projectName ?? src.name,
    environmentName: o.target?.environmentName ?? src.environmentName,
    composeName: o.name ?? slug(`${src.name}-clone`),
    serverId: o.target?.serverId ?? (sameDokploy ? src.serverId : undefined),
    sameDokploy,
  };
}

/** What the clone will do differently from its source, for the plan and the run alike. */
export function cloneWarnings(src: CloneSource): { code: string; message: string }[] {
  const out: { code: string; message: string }[] = [];
  if ((src.env.ENABLE_PHONE_SIGNUP ?? '').toLowerCase() === 'true')
    out.push({
      code: 'CLONE_PHONE_SIGNUP_OFF',
      message:
        'The source allows phone sign-up; the clone starts with it off (the wizard never enables it without an SMS provider check). Turn it on with updateCompose once the SMS settings are verified.',
    });
  for (const m of src.mounts)
    if (m.type !== 'file')
      out.push({
        code: 'CLONE_MOUNT_SKIPPED',
        message: `${m.type ?? 'unknown'} mount ${m.mountPath ?? ''} not copied: a bind or volume mount would share the source\u2019s host path or named volume; give the clone its own in Dokploy if it needs one`,
      });
  return out;
}
