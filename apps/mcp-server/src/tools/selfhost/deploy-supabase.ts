import { z } from 'zod';
import { defineTool } from '../../registry/types.js';
import { WRITE } from '../common.js';
import { deployShape } from './wizard-input.js';
import { runWizard, wizardOutput } from './wizard-run.js';

export default defineTool({
  name: 'dokploy_deploy_supabase',
  title: 'Deploy Supabase',
  description: 'The setup wizard in one call, every answer given; a re-run resumes.',
  group: 'selfhost',
  annotations: { ...WRITE, idempotentHint: true },
  write: true,
  input: z.object(deployShape),
  output: wizardOutput,
  handler: runWizard,
});
