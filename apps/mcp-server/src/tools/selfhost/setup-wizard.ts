import { z } from 'zod';
import { defineTool } from '../../registry/types.js';
import { WRITE } from '../common.js';
import { wizardShape } from './wizard-input.js';
import { planWizard, runWizard, wizardOutput } from './wizard-run.js';

export default defineTool({
  name: 'dokploy_setup_wizard',
  title: 'Setup wizard',
  description:
    'Deploys Supabase on Dokploy (resumable, progress); the first call shows the plan. Secrets only go to secretsFile.',
  group: 'selfhost',
  annotations: { ...WRITE, idempotentHint: true },
  write: true,
  input: z.object(wizardShape),
  output: wizardOutput,
  confirmWhen: 'always (the plan first)',
  confirm: () => true,
  dryRun: planWizard,
  handler: runWizard,
});
