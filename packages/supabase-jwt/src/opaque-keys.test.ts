import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from './errors.js';
import { generateOpaqueApiKeys, opaqueKeyChecksum, parseOpaqueApiKey } from './opaque-keys.js';

const SHAPE = /^sb_(publishable|secret)_([A-Za-z0-9_-]{22})_([A-Za-z0-9_-]{8})$/;

describe('generateOpaqueApiKeys', () => {
  it('makes sb_publishable_/sb_secret_ keys: 22 random base64url chars, "_", 8-char sha256 checksum', () => {
    const keys = generateOpaqueApiKeys();
    for (const value of [keys.SUPABASE_PUBLISHABLE_KEY, keys.SUPABASE_SECRET_KEY]) {
      const match = SHAPE.exec(value);
      expect(match).not.toBeNull();
      const intermediate = value.slice(0, -9);
      // independent checksum: sha256("supabase-self-hosted|" + prefix + random), base64url, first 8
      const expected = createHash('sha256')
        .update(`supabase-self-hosted|${intermediate}`)
        .digest('base64url')
        .slice(0, 8);
      expect(match?.[3]).toBe(expected);
    }
    expect(keys.SUPABASE_PUBLISHABLE_KEY.startsWith('sb_publishable_')).toBe(true);
    expect(keys.SUPABASE_SECRET_KEY.startsWith('sb_secret_')).toBe(true);
  });

  it('uses the project ref in the checksum and never repeats', () => {
    const keys = generateOpaqueApiKeys({ projectRef: 'abcdefghijklmnopqrst' });
    expect(parseOpaqueApiKey(keys.SUPABASE_SECRET_KEY, 'abcdefghijklmnopqrst')?.checksumValid).toBe(
      true,
    );
    expect(parseOpaqueApiKey(keys.SUPABASE_SECRET_KEY)?.checksumValid).toBe(false);
    const seen = new Set(
      Array.from({ length: 200 }, () => generateOpaqueApiKeys().SUPABASE_SECRET_KEY),
    );
    expect(seen.size).toBe(200);
    expect(() => generateOpaqueApiKeys({ projectRef: '' })).toThrow(InvalidInputError);
  });

  it('parses and judges keys', () => {
    const { SUPABASE_PUBLISHABLE_KEY: key } = generateOpaqueApiKeys();
    expect(parseOpaqueApiKey(key)).toEqual({
      type: 'publishable',
      wellFormed: true,
      checksumValid: true,
    });
    expect(parseOpaqueApiKey('sb_secret_x')).toEqual({
      type: 'secret',
      wellFormed: false,
      checksumValid: false,
    });
    expect(parseOpaqueApiKey('eyJhbGciOi')).toBeUndefined();
    expect(opaqueKeyChecksum('sb_secret_abc')).toHaveLength(8);
  });
});
