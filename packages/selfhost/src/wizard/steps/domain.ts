import { dokploySlug } from '../../doctor/names.js';
import type { WizardStep } from '../context.js';

/**
 * 5. The gateway's host: the user's own, or one Dokploy generates. Either way it is served over
 * https with Let's Encrypt, and every URL in the env is derived from it.
 */
export const domainStep: WizardStep = {
  name: 'domain',
  async run(ctx) {
    const domain = ctx.answers.domain;
    if (domain.mode === 'own') return { host: domain.host.toLowerCase(), generated: false };
    if (typeof ctx.data.host === 'string') return { host: ctx.data.host, generated: true };
    const { client, signal } = ctx.deps;
    const appName = `${dokploySlug(ctx.answers.projectName)}-${ctx.answers.composeName}`;
    const host = await client.domain.generateDomain(
      { appName, ...(ctx.answers.serverId ? { serverId: ctx.answers.serverId } : {}) },
      signal ? { signal } : {},
    );
    return { host: host.toLowerCase(), generated: true };
  },
};
