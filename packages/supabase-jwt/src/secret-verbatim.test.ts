import { describe, expect, it } from 'vitest';
import { handKeys, handVerifyHs256, NOW_MS, randomAlnum } from '../test/helpers.js';
import { diagnoseKeys, type KeyEnv } from './diagnose.js';
import { InvalidInputError } from './errors.js';
import { generateLegacyApiKeys, signLegacyApiKey } from './legacy-keys.js';
import { planKeyRepair } from './repair.js';

const SECRET = randomAlnum(40);

function found(env: KeyEnv, source?: 'env' | 'dotenv') {
  return diagnoseKeys(env, { now: NOW_MS, ...(source ? { source } : {}) }).findings.map(
    (item) => `${item.code}:${item.variable}`,
  );
}

describe('JWT_SECRET is used exactly as given in a parsed env', () => {
  // What the services compute: HMAC-SHA256 keyed with the variable's bytes, newline and quotes included.
  it.each([
    ['a trailing newline', `${SECRET}\n`],
    ['literal double quotes', `"${SECRET}"`],
    ['literal single quotes', `'${SECRET}'`],
    ['surrounding spaces', `  ${SECRET}  `],
  ])('%s: keys signed without them fail, and that is an error', (_, value) => {
    const keys = handKeys(SECRET);
    expect(handVerifyHs256(keys.ANON_KEY, value)).toBe(false);
    const result = diagnoseKeys({ JWT_SECRET: value, ...keys }, { now: NOW_MS });
    expect(result.ok).toBe(false);
    expect(result.findings.map((item) => `${item.code}:${item.variable}`)).toEqual([
      'JWT_SECRET_VERBATIM_MISMATCH:JWT_SECRET',
    ]);
    expect(result.findings[0]?.message).toContain('the keys were signed without them');
  });

  it('says so for one key when only one was signed without them', () => {
    const value = `${SECRET}\n`;
    const env = {
      JWT_SECRET: value,
      ...handKeys(SECRET),
      SERVICE_ROLE_KEY: handKeys(value).SERVICE_ROLE_KEY,
    };
    const result = diagnoseKeys(env, { now: NOW_MS });
    expect(result.findings[0]?.message).toContain('one key was signed without them');
  });

  it('a secret with spaces that the keys were signed with verbatim is fine, not bug B', async () => {
    for (const value of [
      `  ${SECRET}  `,
      `${SECRET}\n`,
      `"${SECRET}"`,
      `${SECRET.slice(0, 20)} ${SECRET.slice(20)}`,
    ]) {
      const keys = await generateLegacyApiKeys({ secret: value, now: NOW_MS });
      expect(handVerifyHs256(keys.ANON_KEY, Buffer.from(value, 'utf8'))).toBe(true);
      const result = diagnoseKeys({ JWT_SECRET: value, ...keys }, { now: NOW_MS });
      expect(result.ok).toBe(true);
      expect(result.findings.map((item) => item.code)).not.toContain('JWT_SIGNATURE_INVALID');
    }
    const warned = found({ JWT_SECRET: `${SECRET}\n`, ...handKeys(`${SECRET}\n`) });
    expect(warned).toEqual(['JWT_SECRET_UNTRIMMED:JWT_SECRET']);
    expect(
      found({
        JWT_SECRET: `${SECRET.slice(0, 20)} ${SECRET.slice(20)}`,
        ...handKeys(`${SECRET.slice(0, 20)} ${SECRET.slice(20)}`),
      }),
    ).toEqual([]);
  });

  it('keys signed with an unknown secret are still bug B, whitespace or not', () => {
    const result = diagnoseKeys(
      { JWT_SECRET: `${SECRET}\n`, ...handKeys(randomAlnum(40)) },
      { now: NOW_MS },
    );
    const codes = result.findings.map((item) => item.code);
    expect(codes).toContain('JWT_SIGNATURE_INVALID');
    expect(codes).toContain('JWT_SECRET_UNTRIMMED');
    expect(codes).not.toContain('JWT_SECRET_VERBATIM_MISMATCH');
  });

  it('planKeyRepair cleans the secret so the keys verify, and leaves a verbatim-signed one alone', async () => {
    const keys = handKeys(SECRET);
    const plan = await planKeyRepair({ JWT_SECRET: `${SECRET}\n`, ...keys }, { now: NOW_MS });
    expect(plan.changes).toEqual({ JWT_SECRET: SECRET });
    expect(plan.rotateSecret).toBe(false);
    expect(plan.consequences.notes.join(' ')).toContain('app.settings.jwt_secret');
    expect(plan.after.findings).toEqual([]);

    const verbatim = `${SECRET}\n`;
    const kept = await planKeyRepair(
      { JWT_SECRET: verbatim, ANON_KEY: handKeys(verbatim).ANON_KEY },
      { now: NOW_MS },
    );
    expect(Object.keys(kept.changes)).toEqual(['SERVICE_ROLE_KEY']);
    // the new key is signed with the value the services use, newline included
    expect(handVerifyHs256(kept.changes.SERVICE_ROLE_KEY as string, verbatim)).toBe(true);
    expect(kept.after.ok).toBe(true);
  });
});

describe('raw .env text (source: "dotenv") keeps the trimming docker compose does', () => {
  it('the line value is trimmed and unquoted: keys signed with the clean secret verify', () => {
    expect(found({ JWT_SECRET: `"${SECRET}" `, ...handKeys(SECRET) }, 'dotenv')).toEqual([
      'JWT_SECRET_UNTRIMMED:JWT_SECRET',
    ]);
  });

  it('keys signed with the whitespace included fail, and the message says why', () => {
    const result = diagnoseKeys(
      { JWT_SECRET: ` ${SECRET} `, ...handKeys(` ${SECRET} `) },
      { now: NOW_MS, source: 'dotenv' },
    );
    const invalid = result.findings.filter((item) => item.code === 'JWT_SIGNATURE_INVALID');
    expect(invalid).toHaveLength(2);
    expect(invalid[0]?.message).toContain('docker compose strips them');
    expect(invalid[0]?.message).not.toContain('bug B');
  });

  it('planKeyRepair writes the trimmed secret back, as before', async () => {
    const plan = await planKeyRepair(
      { JWT_SECRET: `'${SECRET}'`, ...handKeys(SECRET) },
      { now: NOW_MS, source: 'dotenv' },
    );
    expect(plan.changes).toEqual({ JWT_SECRET: SECRET });
    expect(plan.after.findings).toEqual([]);
  });

  it('rejects an unknown source', () => {
    expect(() => diagnoseKeys({}, { source: 'yaml' } as never)).toThrow(InvalidInputError);
  });
});

describe('the 32-byte minimum is counted in UTF-8 bytes, as PostgREST does', () => {
  const twoByte = 'é'.repeat(16); // 16 characters, 32 bytes
  const short = `${'é'.repeat(15)}a`; // 16 characters, 31 bytes

  it('diagnosis', () => {
    expect(Buffer.byteLength(twoByte)).toBe(32);
    expect(found({ JWT_SECRET: twoByte, ...handKeys(twoByte) })).not.toContain(
      'JWT_SECRET_TOO_SHORT:JWT_SECRET',
    );
    const tooShort = diagnoseKeys({ JWT_SECRET: short, ...handKeys(short) }, { now: NOW_MS });
    const hit = tooShort.findings.find((item) => item.code === 'JWT_SECRET_TOO_SHORT');
    expect(hit?.message).toContain('31 bytes');
    // 31 ASCII characters stay too short
    const ascii = randomAlnum(31);
    expect(found({ JWT_SECRET: ascii, ...handKeys(ascii) })).toContain(
      'JWT_SECRET_TOO_SHORT:JWT_SECRET',
    );
  });

  it('signing', async () => {
    const token = await signLegacyApiKey({ secret: twoByte, role: 'anon', now: NOW_MS });
    expect(handVerifyHs256(token, Buffer.from(twoByte, 'utf8'))).toBe(true);
    const error = await signLegacyApiKey({ secret: short, role: 'anon' }).catch(
      (caught: unknown) => caught,
    );
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('at least 32 bytes');
  });
});
