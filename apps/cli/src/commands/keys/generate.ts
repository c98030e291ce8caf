import { access } from 'node:fs/promises';
import type { CommandDef } from '../../command.js';
import { optBool, optNumber, optString } from '../../command.js';
import { usageError } from '../../errors.js';
import { parseInteger, resolvePath, writeFileAtomic } from '../shared.js';

export const keysGenerate: CommandDef = {
  name: 'generate',
  description:
    'Generate a full key set: JWT_SECRET, ANON_KEY, SERVICE_ROLE_KEY and the other self-hosted secrets; --new-style adds the sb_ keys and the ES256 signing keys',
  options: [
    {
      flags: '--new-style',
      description: 'also JWT_KEYS/JWT_JWKS (ES256), the asymmetric API keys and the sb_ keys',
    },
    {
      flags: '--expires-in <duration>',
      description: 'lifetime of the API keys (seconds, or 90d, 5y, 12h)',
      default: '5y',
    },
    {
      flags: '--jwt-secret-length <n>',
      description: 'length of JWT_SECRET (32-512)',
      parse: parseInteger(32),
    },
    {
      flags: '-o, --out <file>',
      description: 'write the keys to this .env file (0600) instead of stdout',
      complete: 'file',
    },
    { flags: '--force', description: 'overwrite the --out file' },
  ],
  examples: [
    {
      command: 'supaops keys generate --out .env.keys',
      description: 'write a new key set to a file, nothing on screen',
    },
    {
      command: 'supaops keys generate --new-style --json > keys.json',
      description: 'machine output, with the new-style keys',
    },
  ],
  audit: true,
  async action(ctx, { options }) {
    const out = optString(options.out);
    if (out && !optBool(options.force)) {
      const exists = await access(resolvePath(ctx, out)).then(
        () => true,
        () => false,
      );
      if (exists) {
        throw usageError(
          'OUTPUT_EXISTS',
          `${resolvePath(ctx, out)} already exists.`,
          'Pass --force to overwrite it, or another --out file.',
        );
      }
    }
    // the env subpath: the serializer without selfhost's Dokploy and pg clients
    const [{ generateSupabaseEnv }, { serializeEnvRecord }] = await Promise.all([
      import('@supaops/supabase-jwt'),
      import('@supaops/selfhost/env'),
    ]);
    const length = optNumber(options.jwtSecretLength);
    const generated = await generateSupabaseEnv({
      newStyleKeys: optBool(options.newStyle),
      expiresIn: optString(options.expiresIn) ?? '5y',
      ...(length ? { jwtSecretLength: length } : {}),
    });
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(generated))
      if (typeof value === 'string') env[key] = value;
    const variables = Object.keys(env);
    // shellSafe: JWT_KEYS/JWT_JWKS and the like single-quoted, so `set -a; . ./.env` reads
    // what docker compose reads
    const text = serializeEnvRecord(env, { shellSafe: true });
    if (out) {
      const file = await writeFileAtomic(ctx, out, text);
      return {
        data: { written: file, variables },
        human: `Wrote ${variables.length} variables to ${file} (mode 0600).`,
      };
    }
    if (ctx.io.stdout.isTTY) {
      ctx.warn(
        'these are secrets: they are printed because you asked for them; prefer --out FILE, and keep them out of shell history and logs.',
      );
    }
    return { data: { env, variables }, human: text, secretOutput: true };
  },
};
