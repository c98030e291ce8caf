import { z } from 'zod';
import { supabaseJwt } from '../../libs.js';
import { defineTool } from '../../registry/types.js';
import { READ } from '../common.js';
import { keyEnv, keySourceShape } from './key-env.js';

export default defineTool({
  name: 'check_keys',
  title: 'Check keys',
  description:
    'Diagnoses JWT_SECRET, anon/service, JWKS and sb_ keys (template bugs, demo keys, bad signatures) of an env text, file or instance.',
  group: 'keys',
  annotations: READ,
  write: false,
  input: z.object(keySourceShape),
  output: z.object({
    source: z.string(),
    ok: z.boolean(),
    counts: z.record(z.string(), z.number()),
    findings: z.array(
      z.object({
        code: z.string(),
        severity: z.string(),
        variable: z.string(),
        message: z.string(),
        fix: z.string(),
      }),
    ),
  }),
  async handler(args, ctx) {
    const [{ source, env }, jwt] = await Promise.all([keyEnv(args, ctx), supabaseJwt()]);
    const d = jwt.diagnoseKeys(env);
    return { structured: { source, ok: d.ok, counts: d.counts, findings: d.findings } };
  },
});
