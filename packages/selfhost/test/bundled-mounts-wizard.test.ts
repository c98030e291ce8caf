import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createHistoryStore,
  createWizardStateStore,
  runSetupWizard,
  type WizardEvent,
} from '../src/index.js';
import { BUNDLED_MOUNTS } from '../src/wizard/bundled-mounts/index.js';
import { type SimulatedStack, startStack } from './stack.js';

let stack: SimulatedStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

describe('the wizard on a Dokploy without the live template (simulator)', () => {
  it('imports the bundled template with supaops mount contents: no placeholder, no MOUNTS_INCOMPLETE, validation passes', async () => {
    stack = await startStack({ version: '0.30.2' });
    const s = stack;
    // Dokploy cannot fetch templates.dokploy.com (a server without internet access)
    s.sim.setFaults({ serverErrors: 1, procedures: ['compose.deployTemplate'] });
    const events: WizardEvent[] = [];
    const result = await runSetupWizard(
      {
        projectName: 'shop',
        smtp: { mode: 'development-autoconfirm' },
        domain: { mode: 'own', host: 'supabase.acme.dev' },
        siteUrl: 'https://app.acme.dev',
        secretsOutput: { mode: 'file', path: join(s.dir, 'secrets.env') },
        deployPollMs: 5,
        validateAttempts: 2,
        validateRetryMs: 5,
      },
      {
        client: s.client,
        state: createWizardStateStore(join(s.dir, 'state.json')),
        history: createHistoryStore(join(s.dir, 'history')),
        httpFetch: s.fetch,
        onEvent: (e) => events.push(e),
      },
    );
    expect(result.validation.ok).toBe(true);
    const codes = events.flatMap((e) => (e.type === 'warning' ? [e.code] : []));
    expect(codes).toContain('TEMPLATE_UNAVAILABLE');
    expect(codes).not.toContain('MOUNTS_INCOMPLETE');
    expect(s.sim.requests.filter((r) => r.procedure === 'compose.import')).toHaveLength(1);

    const compose = await s.client.compose.one({ composeId: result.composeId });
    const mounts = (compose.mounts ?? []) as { filePath: string | null; content: string | null }[];
    expect(mounts).toHaveLength(15);
    for (const m of BUNDLED_MOUNTS) {
      const created = mounts.find((x) => x.filePath === m.filePath);
      // Dokploy expanded the template's ${…} in each content: ours has none, so it is unchanged
      expect(created?.content ?? '', m.filePath).toBe(m.content);
      expect(created?.content ?? '', m.filePath).not.toContain('(omitted)');
    }
  });
});
