import { z } from 'zod';
import { supabaseJwt } from '../../libs.js';
import { defineTool } from '../../registry/types.js';
import { WRITE } from '../common.js';
import { writeNewEnvFile } from './env-files.js';
import { defaultSecretsFile, resolvePath } from './key-env.js';

export default defineTool({
  name: 'generate_keys',
  title: 'Generate keys',
  description:
    'Generates a self-hosted Supabase secret set (JWT secret, keys, passwords) into a new 0600 .env file.',
  group: 'keys',
  annotations: WRITE,
  write: true,
  input: z.object({
    newStyleKeys: z.boolean().optional().describe('Also ES256 JWT_KEYS/JWKS, sb_ keys'),
    file: z.string().min(1).max(4096).optional().describe('New file; default under the state dir'),
  }),
  output: z.object({
    file: z.string(),
    variables: z.array(z.string()),
    summary: z.array(z.string()),
  }),
  async handler(args, ctx) {
    const jwt = await supabaseJwt();
    const env = (await jwt.generateSupabaseEnv({
      ...(args.newStyleKeys ? { newStyleKeys: true } : {}),
    })) as unknown as Record<string, string>;
    ctx.addSecrets(Object.values(env));
    const file = args.file
      ? resolvePath(args.file, ctx)
      : defaultSecretsFile(ctx, 'generated-keys');
    await writeNewEnvFile(file, env);
    return {
      structured: {
        file,
        variables: Object.keys(env),
        summary: Object.entries(env).map(([k, v]) => `${k}=${jwt.redactSecret(v)}`),
      },
    };
  },
});
