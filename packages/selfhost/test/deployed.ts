import { join } from 'node:path';
import {
  createHistoryStore,
  createWizardStateStore,
  type HistoryStore,
  runSetupWizard,
} from '../src/index.js';
import type { SimulatedStack } from './stack.js';

export const HOST = 'supabase.acme.dev';

/** The setup wizard's fresh deploy of the Supabase template behind https://supabase.acme.dev. */
export async function deployWithWizard(
  s: SimulatedStack,
  projectName = 'shop',
  host = HOST,
): Promise<{ composeId: string; env: string; appName: string; history: HistoryStore }> {
  const history = createHistoryStore(join(s.dir, 'history'));
  const result = await runSetupWizard(
    {
      projectName,
      smtp: {
        mode: 'smtp',
        host: 'smtp.mailprovider.net',
        port: 587,
        user: 'apikey',
        pass: 'Zx9smtpPasswordValue42',
        adminEmail: 'auth@mail.acme.dev',
      },
      domain: { mode: 'own', host },
      siteUrl: 'https://app.acme.dev',
      secretsOutput: { mode: 'file', path: join(s.dir, `${projectName}-secrets.env`) },
      deployPollMs: 5,
      validateAttempts: 2,
      validateRetryMs: 5,
    },
    {
      client: s.client,
      state: createWizardStateStore(join(s.dir, `${projectName}-state.json`)),
      history,
      httpFetch: s.fetch,
    },
  );
  if (!result.validation.ok) throw new Error('the wizard deploy did not validate');
  const compose = await s.client.compose.one({ composeId: result.composeId });
  return { composeId: result.composeId, env: compose.env ?? '', appName: compose.appName, history };
}
