import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ENV_EXAMPLE } from '../../test/helpers.js';
import { EnvCiphertextError, EnvSyntaxError, SelfhostError } from '../errors.js';
import { assertEnvWritable, looksLikeCiphertext } from './guard.js';

/** What Dokploy v0.29.12+ stores (AES-256-GCM, `enc:v1:<base64 iv|tag|data>`). */
function dokployCiphertext(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', randomBytes(32), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `enc:v1:${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64')}`;
}

describe('looksLikeCiphertext', () => {
  it('recognises Dokploy ciphertext and other opaque blobs', () => {
    expect(looksLikeCiphertext(dokployCiphertext(ENV_EXAMPLE))).toBe(true);
    expect(looksLikeCiphertext(`${dokployCiphertext('A=1')}\n`)).toBe(true);
    expect(looksLikeCiphertext(randomBytes(60).toString('base64'))).toBe(true);
    expect(
      looksLikeCiphertext(`${randomBytes(12).toString('hex')}:${randomBytes(40).toString('hex')}`),
    ).toBe(true);
    expect(looksLikeCiphertext(randomBytes(40).toString('hex'))).toBe(true);
    // unpadded base64 with neither + nor /
    expect(looksLikeCiphertext('k8Hq2Lw9Zr4Tx7Pm3Vb6Nc1Ys5Ad0FgK8hq2Lw9Zr4Tx7Pm3Q')).toBe(true);
    for (let i = 0; i < 200; i++)
      expect(looksLikeCiphertext(randomBytes(60).toString('base64'))).toBe(true);
  });

  it('does not mistake env text for ciphertext', () => {
    expect(looksLikeCiphertext(ENV_EXAMPLE)).toBe(false);
    expect(looksLikeCiphertext('')).toBe(false);
    expect(looksLikeCiphertext('A=1')).toBe(false);
    expect(looksLikeCiphertext('SOME_VERY_LONG_VARIABLE_NAME_WITHOUT_VALUE')).toBe(false);
    expect(looksLikeCiphertext('JWT_SECRET=abcdefghijklmnopqrstuvwxyz0123456789ABCD')).toBe(false);
    expect(looksLikeCiphertext('deadbeef')).toBe(false);
    expect(looksLikeCiphertext('Some_Very_Long_Variable_Name_With_Value_2')).toBe(false);
  });
});

describe('assertEnvWritable', () => {
  it('returns the parsed document of a writable env', () => {
    const doc = assertEnvWritable(ENV_EXAMPLE);
    expect(doc.nodes.length).toBeGreaterThan(50);
  });

  it('refuses ciphertext with a typed error that says how to fix it', () => {
    let error: unknown;
    try {
      assertEnvWritable(dokployCiphertext('POSTGRES_PASSWORD=secret'));
    } catch (e) {
      error = e;
    }
    expect(EnvCiphertextError.isInstance(error)).toBe(true);
    expect(SelfhostError.isInstance(error)).toBe(true);
    expect((error as EnvCiphertextError).code).toBe('SELFHOST_ENV_CIPHERTEXT');
    expect((error as Error).message).toMatch(/BETTER_AUTH_SECRET/);
  });

  it('refuses text with lines compose cannot read, naming the lines but not their content', () => {
    let error: unknown;
    try {
      assertEnvWritable('A=1\nsecret password here\nB="open\n');
    } catch (e) {
      error = e;
    }
    expect(EnvSyntaxError.isInstance(error)).toBe(true);
    expect((error as EnvSyntaxError).problems.map((p) => p.line)).toEqual([2, 3]);
    expect((error as Error).message).not.toContain('password here');
  });

  it('accepts interpolation warnings and duplicates: they are data, not damage', () => {
    expect(() => assertEnvWritable('A=$UNDEFINED\nA=2\n')).not.toThrow();
  });
});
