import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  b64url,
  DAY,
  handKeys,
  handSignHs256,
  leaks,
  NOW,
  NOW_MS,
  randomAlnum,
  secretParts,
} from '../test/helpers.js';
import { DEMO_ANON_KEY, DEMO_JWT_SECRET, DEMO_SERVICE_ROLE_KEY } from './demo.js';
import { type DiagnoseOptions, diagnoseKeys, type KeyEnv } from './diagnose.js';
import { InvalidInputError, SupabaseJwtError } from './errors.js';
import { ALL_FINDING_CODES, FINDING_CODES, type FindingCode } from './finding-codes.js';
import { generateNewStyleKeys } from './generate-env.js';
import { generateAsymmetricApiKeys, generateSigningKeys, signEs256 } from './signing-keys.js';

const SECRET = randomAlnum(40);
const OTHER_SECRET = randomAlnum(40);
let base: Record<string, string | undefined>;
let otherSigning: Awaited<ReturnType<typeof generateSigningKeys>>;
let otherSecretSigning: Awaited<ReturnType<typeof generateSigningKeys>>;

beforeAll(async () => {
  const newStyle = await generateNewStyleKeys({ secret: SECRET, now: NOW_MS });
  base = { JWT_SECRET: SECRET, ...handKeys(SECRET), ...newStyle };
  const kid = JSON.parse(newStyle.JWT_KEYS)[0].kid as string;
  otherSigning = await generateSigningKeys({ secret: SECRET, kid });
  otherSecretSigning = await generateSigningKeys({ secret: OTHER_SECRET, kid });
});

function diagnose(env: KeyEnv, options: Omit<DiagnoseOptions, 'now'> = {}) {
  return diagnoseKeys(env, { now: NOW_MS, ...options });
}

function codes(env: KeyEnv, options: Omit<DiagnoseOptions, 'now'> = {}): FindingCode[] {
  return diagnose(env, options).findings.map((item) => item.code);
}

function anonWith(claims: Record<string, unknown>, secret: string | Buffer = SECRET) {
  return handSignHs256(
    { role: 'anon', iss: 'supabase', iat: NOW - DAY, exp: NOW + 400 * DAY, ...claims },
    secret,
  );
}

function anonWithKid(kid: unknown) {
  return handSignHs256(
    { role: 'anon', iss: 'supabase', iat: NOW - DAY, exp: NOW + 400 * DAY },
    SECRET,
    { alg: 'HS256', typ: 'JWT', kid },
  );
}

function withoutKey(claim: string) {
  const payload: Record<string, unknown> = {
    role: 'anon',
    iss: 'supabase',
    iat: NOW - DAY,
    exp: NOW + 400 * DAY,
  };
  delete payload[claim];
  return handSignHs256(payload, SECRET);
}

function swapJwks(mutate: (keys: Record<string, unknown>[]) => void): string {
  const jwks = JSON.parse(base.JWT_JWKS as string) as { keys: Record<string, unknown>[] };
  mutate(jwks.keys);
  return JSON.stringify(jwks);
}

type Case = {
  positive: () => KeyEnv | Promise<KeyEnv>;
  negative: () => KeyEnv | Promise<KeyEnv>;
  /** Options of both diagnoses (the env source); `now` is always NOW_MS. */
  options?: Omit<DiagnoseOptions, 'now'>;
};
const shortSecret = randomAlnum(31);
const okSecret32 = randomAlnum(32);
const b64Secret = Buffer.from(randomAlnum(30)).toString('base64'); // 40 chars, base64 alphabet

const cases: Record<FindingCode, Case> = {
  JWT_SECRET_MISSING: {
    positive: () => ({ ...base, JWT_SECRET: undefined }),
    negative: () => base,
  },
  JWT_SECRET_TOO_SHORT: {
    positive: () => ({ ...base, JWT_SECRET: shortSecret, ...handKeys(shortSecret) }),
    negative: () => ({ ...base, JWT_SECRET: okSecret32, ...handKeys(okSecret32) }),
  },
  JWT_SECRET_DEMO: {
    positive: () => ({ JWT_SECRET: DEMO_JWT_SECRET, ...handKeys(DEMO_JWT_SECRET) }),
    negative: () => {
      const near = `${DEMO_JWT_SECRET}er`;
      return { JWT_SECRET: near, ...handKeys(near) };
    },
  },
  // Raw .env text: docker compose strips the whitespace, so the keys verify but it is a warning.
  JWT_SECRET_UNTRIMMED: {
    positive: () => ({ ...base, JWT_SECRET: ` ${SECRET}\n` }),
    negative: () => base,
    options: { source: 'dotenv' },
  },
  // A parsed env: the services use " secret\n" verbatim, the keys were signed with "secret".
  JWT_SECRET_VERBATIM_MISMATCH: {
    positive: () => ({ ...base, JWT_SECRET: ` ${SECRET}\n` }),
    negative: () => ({ JWT_SECRET: ` ${SECRET}\n`, ...handKeys(` ${SECRET}\n`) }),
  },
  JWT_KEY_MISSING: { positive: () => ({ ...base, ANON_KEY: '' }), negative: () => base },
  JWT_KEY_UNTRIMMED: {
    positive: () => ({ ...base, ANON_KEY: `"${base.ANON_KEY}"` }),
    negative: () => base,
  },
  // Dokploy 0.21.0-0.21.7: ${jwt:…} gave randomBytes(n).toString('hex'), not a token.
  JWT_NOT_A_JWT: {
    positive: () => ({ ...base, ANON_KEY: randomBytes(32).toString('hex') }),
    negative: () => ({ ...base, ANON_KEY: (base.ANON_KEY as string).split('.')[0] }),
  },
  JWT_MALFORMED_PARTS: { positive: () => ({ ...base, ANON_KEY: 'abc.def' }), negative: () => base },
  JWT_MALFORMED_BASE64: {
    positive: () => ({
      ...base,
      ANON_KEY: `ey+J.${(base.ANON_KEY as string).split('.').slice(1).join('.')}`,
    }),
    negative: () => base,
  },
  JWT_MALFORMED_JSON: {
    positive: () => ({
      ...base,
      ANON_KEY: `${b64url('{"alg":"HS256"}')}.${b64url('not json')}.c2ln`,
    }),
    negative: () => base,
  },
  JWT_MALFORMED_TOO_LONG: {
    positive: () => ({ ...base, ANON_KEY: 'e'.repeat(20_000) }),
    negative: () => base,
  },
  JWT_ALG_NONE: {
    positive: () => ({
      ...base,
      ANON_KEY: `${b64url('{"alg":"none"}')}.${b64url('{"role":"anon","iss":"supabase"}')}.`,
    }),
    negative: () => base,
  },
  JWT_ALG_UNEXPECTED: {
    positive: () => ({
      ...base,
      ANON_KEY: handSignHs256({ role: 'anon', iss: 'supabase', exp: NOW + 400 * DAY }, SECRET, {
        alg: 'HS512',
      }),
    }),
    negative: () => base,
  },
  JWT_IDENTICAL_KEYS: {
    positive: () => ({ ...base, SERVICE_ROLE_KEY: base.ANON_KEY }),
    negative: () => base,
  },
  JWT_ROLE_MISSING: {
    positive: () => ({ ...base, ANON_KEY: withoutKey('role') }),
    negative: () => base,
  },
  JWT_ROLE_WRONG: {
    positive: () => ({ ...base, ANON_KEY: anonWith({ role: 'authenticated' }) }),
    negative: () => ({ ...base, ANON_KEY: anonWith({ role: 'anon' }) }),
  },
  JWT_ROLES_SWAPPED: {
    positive: () => ({ ...base, ANON_KEY: base.SERVICE_ROLE_KEY, SERVICE_ROLE_KEY: base.ANON_KEY }),
    negative: () => base,
  },
  JWT_ISS_DOKPLOY: {
    positive: () => ({ ...base, ANON_KEY: anonWith({ iss: 'dokploy' }) }),
    negative: () => ({ ...base, ANON_KEY: anonWith({ iss: 'supabase' }) }),
  },
  JWT_ISS_UNEXPECTED: {
    positive: () => ({ ...base, ANON_KEY: anonWith({ iss: 'https://example.com' }) }),
    negative: () => ({ ...base, ANON_KEY: anonWith({ iss: 'supabase' }) }),
  },
  JWT_HS256_KID_UNKNOWN: {
    positive: () => ({ ...base, ANON_KEY: anonWithKid('legacy-kid') }),
    negative: () => ({
      ...base,
      ANON_KEY: anonWithKid('legacy-kid'),
      JWT_JWKS: swapJwks((keys) => {
        (keys[1] as Record<string, unknown>).kid = 'legacy-kid';
      }),
    }),
  },
  JWT_SIGNATURE_INVALID: {
    positive: () => ({ ...base, ...handKeys(OTHER_SECRET) }),
    negative: () => ({ ...base, ...handKeys(SECRET) }),
  },
  JWT_SIGNATURE_DECODED_SECRET: {
    positive: () => ({ JWT_SECRET: b64Secret, ...handKeys(Buffer.from(b64Secret, 'base64')) }),
    negative: () => ({ JWT_SECRET: b64Secret, ...handKeys(b64Secret) }),
  },
  JWT_DEMO_KEY: { positive: () => ({ ...base, ANON_KEY: DEMO_ANON_KEY }), negative: () => base },
  JWT_EXPIRED: {
    positive: () => ({ ...base, ANON_KEY: anonWith({ exp: NOW - 1 }) }),
    negative: () => ({ ...base, ANON_KEY: anonWith({ exp: NOW + 91 * DAY }) }),
  },
  JWT_EXPIRES_WITHIN_30_DAYS: {
    positive: () => ({ ...base, ANON_KEY: anonWith({ exp: NOW + 10 * DAY }) }),
    negative: () => ({ ...base, ANON_KEY: anonWith({ exp: NOW + 31 * DAY }) }),
  },
  JWT_EXPIRES_WITHIN_90_DAYS: {
    positive: () => ({ ...base, ANON_KEY: anonWith({ exp: NOW + 60 * DAY }) }),
    negative: () => ({ ...base, ANON_KEY: anonWith({ exp: NOW + 91 * DAY }) }),
  },
  JWT_EXP_MISSING: {
    positive: () => ({ ...base, ANON_KEY: withoutKey('exp') }),
    negative: () => base,
  },
  JWT_EXP_DOKPLOY_FIXED_DATE: {
    positive: () => ({ ...base, ANON_KEY: anonWith({ exp: 1_893_456_000 }) }),
    negative: () => ({ ...base, ANON_KEY: anonWith({ exp: 1_893_456_001 }) }),
  },
  JWT_CLAIM_INVALID: {
    positive: () => ({ ...base, ANON_KEY: anonWith({ exp: '2030-01-01' }) }),
    negative: () => base,
  },
  JWT_IAT_FUTURE: {
    positive: () => ({ ...base, ANON_KEY: anonWith({ iat: NOW + 3600 }) }),
    negative: () => ({ ...base, ANON_KEY: anonWith({ iat: NOW + 30 }) }),
  },
  JWT_NBF_FUTURE: {
    positive: () => ({ ...base, ANON_KEY: anonWith({ nbf: NOW + 1 }) }),
    negative: () => ({ ...base, ANON_KEY: anonWith({ nbf: NOW }) }),
  },
  JWT_EXP_NOT_INTEGER: {
    positive: () => ({ ...base, ANON_KEY: anonWith({ exp: NOW + 400 * DAY + 0.5 }) }),
    negative: () => ({ ...base, ANON_KEY: anonWith({ exp: NOW + 400 * DAY }) }),
  },
  JWT_EXP_OUT_OF_RANGE: {
    positive: () => ({ ...base, ANON_KEY: anonWith({ exp: 2 ** 63 }) }),
    negative: () => ({ ...base, ANON_KEY: anonWith({ exp: 2 ** 62 }) }),
  },
  JWT_AUD_INVALID: {
    positive: () => ({ ...base, ANON_KEY: anonWith({ aud: ['authenticated', 1] }) }),
    negative: () => ({ ...base, ANON_KEY: anonWith({ aud: ['authenticated'] }) }),
  },
  JWT_KEYS_MALFORMED: {
    positive: () => ({ ...base, JWT_KEYS: '[{"kty":"RSA"}]' }),
    negative: () => base,
  },
  JWT_JWKS_MALFORMED: {
    positive: () => ({ ...base, JWT_JWKS: '{"keys":1}' }),
    negative: () => base,
  },
  JWT_KEYS_WITHOUT_JWKS: {
    positive: () => ({ ...base, JWT_JWKS: undefined }),
    negative: () => base,
  },
  JWT_JWKS_WITHOUT_KEYS: { positive: () => ({ ...base, JWT_KEYS: '[]' }), negative: () => base },
  JWT_JWKS_MISMATCH: {
    positive: () => ({ ...base, JWT_JWKS: otherSigning.JWT_JWKS }),
    negative: () => base,
  },
  JWT_JWKS_PRIVATE_KEY_EXPOSED: {
    positive: () => ({
      ...base,
      JWT_JWKS: JSON.stringify({ keys: JSON.parse(base.JWT_KEYS as string) }),
    }),
    negative: () => base,
  },
  JWT_KID_MISMATCH: {
    positive: () => ({
      ...base,
      JWT_JWKS: swapJwks((keys) => {
        (keys[0] as Record<string, unknown>).kid = 'another-kid-0000';
      }),
    }),
    negative: () => base,
  },
  JWT_KEYS_SECRET_MISMATCH: {
    positive: () => ({
      ...base,
      JWT_KEYS: otherSecretSigning.JWT_KEYS,
      JWT_JWKS: otherSecretSigning.JWT_JWKS,
    }),
    negative: () => ({ ...base, JWT_KEYS: otherSigning.JWT_KEYS, JWT_JWKS: otherSigning.JWT_JWKS }),
  },
  JWT_ASYMMETRIC_SIGNATURE_INVALID: {
    positive: async () => ({
      ...base,
      ...(await generateAsymmetricApiKeys({ jwtKeys: otherSigning.JWT_KEYS, now: NOW_MS })),
    }),
    negative: async () => ({
      ...base,
      ...(await generateAsymmetricApiKeys({ jwtKeys: base.JWT_KEYS as string, now: NOW_MS })),
    }),
  },
  API_KEY_ASYMMETRIC_MISSING: {
    positive: () => ({ ...base, ANON_KEY_ASYMMETRIC: undefined }),
    negative: () => base,
  },
  API_KEY_PREFIX_INVALID: {
    positive: () => ({ ...base, SUPABASE_PUBLISHABLE_KEY: base.ANON_KEY }),
    negative: () => base,
  },
  API_KEY_PREFIX_SWAPPED: {
    positive: () => ({
      ...base,
      SUPABASE_PUBLISHABLE_KEY: base.SUPABASE_SECRET_KEY,
      SUPABASE_SECRET_KEY: base.SUPABASE_PUBLISHABLE_KEY,
    }),
    negative: () => base,
  },
  API_KEY_FORMAT_INVALID: {
    positive: () => ({ ...base, SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_tooShort' }),
    negative: () => base,
  },
  API_KEY_CHECKSUM_MISMATCH: {
    positive: () => {
      const key = base.SUPABASE_PUBLISHABLE_KEY as string;
      return {
        ...base,
        SUPABASE_PUBLISHABLE_KEY: `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`,
      };
    },
    negative: () => base,
  },
  API_KEY_PAIR_INCOMPLETE: {
    positive: () => ({ ...base, SUPABASE_SECRET_KEY: undefined }),
    negative: () => base,
  },
  API_KEYS_IDENTICAL: {
    positive: () => ({ ...base, SUPABASE_SECRET_KEY: base.SUPABASE_PUBLISHABLE_KEY }),
    negative: () => base,
  },
};

describe('diagnoseKeys: every finding code', () => {
  it('has a case for every code in FINDING_CODES', () => {
    expect(Object.keys(cases).sort()).toEqual([...ALL_FINDING_CODES].sort());
  });

  it('finds nothing in a freshly generated full env', () => {
    const result = diagnose(base);
    expect(result.findings).toEqual([]);
    expect(result.ok).toBe(true);
  });

  for (const code of ALL_FINDING_CODES) {
    it(`${code}: reported for the positive case, absent from the negative case`, async () => {
      const { options } = cases[code];
      const positive = diagnose(await cases[code].positive(), options);
      const hit = positive.findings.find((item) => item.code === code);
      expect(
        hit,
        `expected ${code} in ${JSON.stringify(positive.findings.map((f) => f.code))}`,
      ).toBeDefined();
      expect(hit?.severity).toBe(FINDING_CODES[code].severity);
      expect(hit?.message.length).toBeGreaterThan(10);
      expect(hit?.fix.length).toBeGreaterThan(10);
      if (FINDING_CODES[code].severity === 'error') expect(positive.ok).toBe(false);
      const negativeEnv = await cases[code].negative();
      expect(codes(negativeEnv, options)).not.toContain(code);
      const secrets = [
        SECRET,
        OTHER_SECRET,
        ...secretParts(base),
        ...secretParts(await cases[code].positive()),
      ];
      for (const item of positive.findings) {
        expect(leaks(`${item.message} ${item.fix}`, secrets)).toBeUndefined();
      }
    });
  }
});

describe('diagnoseKeys: Dokploy bug variants and demo keys', () => {
  it('names Dokploy template bug A for identical role-less keys with iss "dokploy"', () => {
    // what Dokploy's generateJwt signs when the payload does not parse: {iat, exp: 2030-01-01, iss: "dokploy"}
    const key = handSignHs256({ iat: NOW - 30 * DAY, exp: 1_893_456_000, iss: 'dokploy' }, SECRET);
    const result = diagnose({ JWT_SECRET: SECRET, ANON_KEY: key, SERVICE_ROLE_KEY: key });
    const identical = result.findings.find((item) => item.code === 'JWT_IDENTICAL_KEYS');
    expect(identical?.message).toContain('Dokploy template bug A');
    const roleMissing = result.findings.filter((item) => item.code === 'JWT_ROLE_MISSING');
    expect(roleMissing.map((item) => item.variable).sort()).toEqual([
      'ANON_KEY',
      'SERVICE_ROLE_KEY',
    ]);
    expect(roleMissing[0]?.message).toContain('Dokploy template bug A');
    expect(result.findings.map((item) => item.code)).toEqual(
      expect.arrayContaining(['JWT_ISS_DOKPLOY', 'JWT_EXP_DOKPLOY_FIXED_DATE']),
    );
    expect(result.findings.map((item) => item.code)).not.toContain('JWT_SIGNATURE_INVALID');
    expect(result.ok).toBe(false);
  });

  it('does not call identical proper keys bug A', () => {
    const result = diagnose({ ...base, SERVICE_ROLE_KEY: base.ANON_KEY });
    const identical = result.findings.find((item) => item.code === 'JWT_IDENTICAL_KEYS');
    expect(identical?.message).not.toContain('bug A');
  });

  it('names Dokploy template bug B for keys signed with an unknown secret', () => {
    const result = diagnose({ JWT_SECRET: SECRET, ...handKeys(OTHER_SECRET) });
    const invalid = result.findings.filter((item) => item.code === 'JWT_SIGNATURE_INVALID');
    expect(invalid).toHaveLength(2);
    expect(invalid[0]?.message).toContain('Dokploy template bug B');
  });

  it('says "base64-decoded" when the key was signed with the decoded secret', () => {
    const result = diagnose({
      JWT_SECRET: b64Secret,
      ...handKeys(Buffer.from(b64Secret, 'base64')),
    });
    const hit = result.findings.find((item) => item.code === 'JWT_SIGNATURE_DECODED_SECRET');
    expect(hit?.message).toContain('base64-decoded');
    expect(result.findings.map((item) => item.code)).not.toContain('JWT_SIGNATURE_INVALID');
  });

  it('says "hex-decoded" when the key was signed with the hex-decoded secret', () => {
    const hexSecret = Buffer.from(randomAlnum(24)).toString('hex');
    const result = diagnose({ JWT_SECRET: hexSecret, ...handKeys(Buffer.from(hexSecret, 'hex')) });
    const hit = result.findings.find((item) => item.code === 'JWT_SIGNATURE_DECODED_SECRET');
    expect(hit?.message).toContain('hex-decoded');
  });

  it('flags the env.example demo keys as demo (bug C) with the demo secret, and as invalid with another', () => {
    const demo = diagnose({
      JWT_SECRET: DEMO_JWT_SECRET,
      ANON_KEY: DEMO_ANON_KEY,
      SERVICE_ROLE_KEY: DEMO_SERVICE_ROLE_KEY,
    });
    const found = demo.findings.map((item) => `${item.code}:${item.variable}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'JWT_SECRET_DEMO:JWT_SECRET',
        'JWT_DEMO_KEY:ANON_KEY',
        'JWT_DEMO_KEY:SERVICE_ROLE_KEY',
      ]),
    );
    expect(found).not.toContain('JWT_SIGNATURE_INVALID:ANON_KEY');
    expect(found).not.toContain('JWT_ISS_UNEXPECTED:ANON_KEY');
    expect(demo.findings.find((item) => item.code === 'JWT_DEMO_KEY')?.message).toContain('bug C');
    const mixed = diagnose({
      JWT_SECRET: SECRET,
      ANON_KEY: DEMO_ANON_KEY,
      SERVICE_ROLE_KEY: DEMO_SERVICE_ROLE_KEY,
    });
    const invalid = mixed.findings.find((item) => item.code === 'JWT_SIGNATURE_INVALID');
    expect(invalid?.message).toContain('demo secret');
  });

  it('flags a key signed with the demo secret even when it is not one of the published strings', () => {
    const result = diagnose({
      JWT_SECRET: SECRET,
      ANON_KEY: anonWith({}, DEMO_JWT_SECRET),
      SERVICE_ROLE_KEY: base.SERVICE_ROLE_KEY,
    });
    expect(result.findings.map((item) => `${item.code}:${item.variable}`)).toContain(
      'JWT_DEMO_KEY:ANON_KEY',
    );
  });

  it('reports a service_role ANON_KEY as an admin leak', () => {
    const result = diagnose({ ...base, ANON_KEY: anonWith({ role: 'service_role' }) });
    const wrong = result.findings.find((item) => item.code === 'JWT_ROLE_WRONG');
    expect(wrong?.message).toContain('full admin access');
  });

  it('reports unsigned ES256 keys in the legacy slot and non-ES256 asymmetric keys', async () => {
    const es = await signEs256({
      jwtKeys: base.JWT_KEYS as string,
      payload: { role: 'anon', iss: 'supabase' },
      now: NOW_MS,
    });
    expect(codes({ ...base, ANON_KEY: es })).toContain('JWT_ALG_UNEXPECTED');
    const asym = diagnose({ ...base, ANON_KEY_ASYMMETRIC: base.ANON_KEY });
    expect(asym.findings.map((item) => `${item.code}:${item.variable}`)).toContain(
      'JWT_ALG_UNEXPECTED:ANON_KEY_ASYMMETRIC',
    );
    const none = `${b64url('{"alg":"none"}')}.${b64url('{"role":"anon"}')}.`;
    expect(
      diagnose({ ...base, ANON_KEY_ASYMMETRIC: none }).findings.map(
        (item) => `${item.code}:${item.variable}`,
      ),
    ).toContain('JWT_ALG_NONE:ANON_KEY_ASYMMETRIC');
  });

  it('checks asymmetric keys against the JWKS by kid', async () => {
    const noKid = await signEs256({
      jwtKeys: base.JWT_KEYS as string,
      payload: { role: 'anon', iss: 'supabase' },
      now: NOW_MS,
    });
    const stripped = JSON.parse(base.JWT_KEYS as string) as Record<string, unknown>[];
    delete stripped[0]?.kid;
    const unnamed = await signEs256({
      jwtKeys: stripped,
      payload: { role: 'anon', iss: 'supabase' },
      now: NOW_MS,
    });
    expect(codes({ ...base, ANON_KEY_ASYMMETRIC: noKid })).not.toContain('JWT_KID_MISMATCH');
    const result = diagnose({ ...base, ANON_KEY_ASYMMETRIC: unnamed });
    expect(result.findings.find((item) => item.variable === 'ANON_KEY_ASYMMETRIC')?.code).toBe(
      'JWT_KID_MISMATCH',
    );
    const noJwks = diagnose({ ...base, JWT_JWKS: '{"keys":[]}' });
    expect(noJwks.findings.map((item) => `${item.code}:${item.variable}`)).toContain(
      'JWT_ASYMMETRIC_SIGNATURE_INVALID:ANON_KEY_ASYMMETRIC',
    );
  });

  it('accepts the Dokploy template default JWT_KEYS=[] with legacy keys only', () => {
    const result = diagnose({ JWT_SECRET: SECRET, ...handKeys(SECRET), JWT_KEYS: '[]' });
    expect(result.findings).toEqual([]);
  });

  it('detects a JWT_KEYS key whose d does not match x/y, and an EC key without d', () => {
    const keys = JSON.parse(base.JWT_KEYS as string) as Record<string, unknown>[];
    const other = JSON.parse(otherSigning.JWT_KEYS) as Record<string, unknown>[];
    const broken = [{ ...keys[0], d: other[0]?.d }, keys[1]];
    expect(codes({ ...base, JWT_KEYS: JSON.stringify(broken) })).toContain('JWT_KEYS_MALFORMED');
    const publicOnly = [{ ...keys[0], d: undefined }, keys[1]];
    const result = diagnose({ ...base, JWT_KEYS: JSON.stringify(publicOnly) });
    expect(result.findings.find((item) => item.code === 'JWT_KEYS_MALFORMED')?.message).toContain(
      'no private part',
    );
  });

  it('reports a JWKS without the oct key of JWT_SECRET', () => {
    const jwks = swapJwks((keys) => keys.splice(1, 1));
    const result = diagnose({ ...base, JWT_JWKS: jwks });
    expect(result.findings.map((item) => `${item.code}:${item.variable}`)).toContain(
      'JWT_KEYS_SECRET_MISMATCH:JWT_JWKS',
    );
  });

  it('sorts errors before warnings before info and counts them', () => {
    const result = diagnose({
      ...base,
      ANON_KEY: anonWith({ iss: 'x', exp: NOW + 60 * DAY }),
      SERVICE_ROLE_KEY: undefined,
    });
    const ranks = result.findings.map((item) =>
      ['error', 'warning', 'info'].indexOf(item.severity),
    );
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(result.counts.error).toBe(1);
    expect(result.counts.info).toBe(2);
  });

  it('uses the current time when no now is given', () => {
    const result = diagnoseKeys({
      JWT_SECRET: SECRET,
      ...handKeys(SECRET, { anon: { exp: Math.floor(Date.now() / 1000) - 10 } }),
    });
    expect(result.findings.map((item) => item.code)).toContain('JWT_EXPIRED');
  });
});

describe('diagnoseKeys: input validation', () => {
  it.each([null, 42, 'JWT_SECRET=x', [1, 2], { JWT_SECRET: 5 }, { ANON_KEY: { a: 1 } }])(
    'rejects %j with InvalidInputError',
    (input) => {
      let caught: unknown;
      try {
        diagnoseKeys(input as never);
      } catch (error) {
        caught = error;
      }
      expect(InvalidInputError.isInstance(caught)).toBe(true);
      expect(SupabaseJwtError.isInstance(caught)).toBe(true);
      expect((caught as Error).message).toContain('Fix:');
    },
  );

  it('rejects unknown options', () => {
    expect(() => diagnoseKeys({}, { now: 'tomorrow' } as never)).toThrow(InvalidInputError);
    expect(() => diagnoseKeys({}, { extra: 1 } as never)).toThrow(/diagnoseKeys/);
  });

  it('accepts null values as unset', () => {
    const result = diagnoseKeys({ JWT_SECRET: null, ANON_KEY: null, SERVICE_ROLE_KEY: null });
    expect(result.findings.map((item) => item.code).sort()).toEqual(
      ['JWT_KEY_MISSING', 'JWT_KEY_MISSING', 'JWT_SECRET_MISSING'].sort(),
    );
  });
});
