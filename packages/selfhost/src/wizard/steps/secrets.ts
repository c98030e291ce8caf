import { generateSupabaseEnv } from '@supaops/supabase-jwt';
import type { WizardStep } from '../context.js';

/**
 * 3. Every secret and key, generated here (never by the Dokploy template). Kept in the 0600
 * state file until the summary has delivered them, so a re-run deploys the same values.
 */
export const secretsStep: WizardStep = {
  name: 'secrets',
  async run(ctx) {
    if (!ctx.state.secrets?.JWT_SECRET) {
      const env = await generateSupabaseEnv();
      ctx.state.secrets = { ...env } as Record<string, string>;
    }
    return { generated: Object.keys(ctx.state.secrets).sort() };
  },
};
