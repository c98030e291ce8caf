import { describe, expect, it } from 'vitest';
import { handVerifyHs256, NOW, NOW_MS } from '../test/helpers.js';
import { diagnoseKeys } from './diagnose.js';
import { InvalidInputError } from './errors.js';
import { generateSupabaseEnv } from './generate-env.js';
import { checkSecretConstraints } from './secrets.js';

describe('generateSupabaseEnv', () => {
  it('returns secrets and legacy keys by default, new-style keys on request', async () => {
    const env = await generateSupabaseEnv({ now: NOW_MS, expiresIn: '2y', jwtSecretLength: 50 });
    expect(env.JWT_SECRET).toHaveLength(50);
    expect(env.JWT_KEYS).toBeUndefined();
    expect(handVerifyHs256(env.ANON_KEY, env.JWT_SECRET)).toBe(true);
    const payload = JSON.parse(
      Buffer.from(env.SERVICE_ROLE_KEY.split('.')[1] as string, 'base64url').toString(),
    );
    expect(payload).toEqual({
      role: 'service_role',
      iss: 'supabase',
      iat: NOW,
      exp: NOW + 2 * 365 * 86_400,
    });
    expect(checkSecretConstraints(env, { requireAll: true })).toEqual([]);
    const full = await generateSupabaseEnv({ newStyleKeys: true });
    expect(full.JWT_KEYS).toBeDefined();
    expect(full.SUPABASE_SECRET_KEY).toMatch(/^sb_secret_/);
    expect(diagnoseKeys(full).findings).toEqual([]);
    const defaults = await generateSupabaseEnv();
    expect(defaults.JWT_SECRET).toHaveLength(40);
  });

  it('validates options', async () => {
    await expect(generateSupabaseEnv({ jwtSecretLength: 10 })).rejects.toThrow(InvalidInputError);
    await expect(generateSupabaseEnv({ newStyleKeys: 'yes' } as never)).rejects.toThrow(
      InvalidInputError,
    );
  });
});
