import { compareVersions, DOKPLOY_FEATURES } from '@supaops/dokploy-client';
import { DokployUnsupportedError } from '../../workflow-errors.js';
import type { WizardStep } from '../context.js';

/** Below this no TOML template renders (0.20.x fetches a template.yml that no longer exists). */
export const MIN_DOKPLOY_VERSION = 'v0.21.0';
/** Own compose files need only API keys and raw composes. */
export const MIN_DOKPLOY_VERSION_OWN_COMPOSE = 'v0.19.0';

/** 1. Dokploy answers, the key is valid, and the version is one the wizard supports. */
export const connectStep: WizardStep = {
  name: 'connect',
  async run(ctx) {
    const { client, signal } = ctx.deps;
    const call = signal ? { signal } : {};
    await client.health(call);
    await client.user.get(call);
    const version = await client.refreshVersion(call);
    const minimum =
      ctx.answers.compose.source === 'own' ? MIN_DOKPLOY_VERSION_OWN_COMPOSE : MIN_DOKPLOY_VERSION;
    if (compareVersions(version, minimum) < 0) {
      throw new DokployUnsupportedError(
        version.raw,
        minimum,
        'its deployTemplate and compose.import cannot render the Supabase template.',
      );
    }
    const below = (feature: keyof typeof DOKPLOY_FEATURES) =>
      compareVersions(version, DOKPLOY_FEATURES[feature]) < 0;
    if (below('templateJwtTrim')) {
      ctx.emit({
        type: 'warning',
        code: 'TEMPLATE_KEYS_BROKEN',
        message: `Dokploy ${version.raw} signs identical, role-less template keys (fixed in v0.25.6); the wizard replaces every key before the first deploy.`,
      });
    }
    if (below('deploymentReadLogs')) {
      ctx.emit({
        type: 'warning',
        code: 'NO_REST_LOGS',
        message: `Dokploy ${version.raw} has no deployment.readLogs (v0.29.5+): a failed deploy is reported without its build log.`,
      });
    }
    return {
      version: version.raw,
      environments: !below('environments'),
      containerLogs: !below('composeReadLogs'),
    };
  },
};
