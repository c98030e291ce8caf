import { describe, expect, it } from 'vitest';
import { b64url, handSignHs256, leaks, NOW, NOW_MS, randomAlnum } from '../test/helpers.js';
import { decodeCompactJwt } from './compact-jwt.js';
import { diagnoseKeys } from './diagnose.js';
import { InvalidInputError, KeyFormatError, SupabaseJwtError } from './errors.js';
import { parseJwks, parseJwtKeys } from './jwk.js';
import { opaqueKeyChecksum, parseOpaqueApiKey } from './opaque-keys.js';
import { checkSecretConstraints } from './secrets.js';
import { generateSigningKeys } from './signing-keys.js';

const SECRET = randomAlnum(40);
/** 6000 levels of nested arrays: about 12 KB, under the 16 KiB a key may have. */
const DEEP = `${'['.repeat(6000)}${']'.repeat(6000)}`;

/** A compact JWT with raw JSON text for header and payload (so the nesting survives as written). */
function rawToken(header: string, payload: string, secret = SECRET): string {
  return handSignHs256({}, secret).replace(/^[^.]+\.[^.]+/, `${b64url(header)}.${b64url(payload)}`);
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('diagnoseKeys never throws on token content', () => {
  const tokens = {
    'deep alg': rawToken(`{"alg":${DEEP},"typ":"JWT"}`, '{"role":"anon","iss":"supabase"}'),
    'deep role': rawToken('{"alg":"HS256","typ":"JWT"}', `{"role":${DEEP},"iss":"supabase"}`),
    'deep iss': rawToken('{"alg":"HS256","typ":"JWT"}', `{"role":"anon","iss":${DEEP}}`),
    'deep exp': rawToken('{"alg":"HS256","typ":"JWT"}', `{"role":"anon","exp":${DEEP}}`),
    'deep kid': rawToken(`{"alg":"ES256","kid":${DEEP}}`, '{"role":"anon","iss":"supabase"}'),
    'deep object role': rawToken(
      '{"alg":"HS256"}',
      `{"role":${'{"a":'.repeat(1700)}1${'}'.repeat(1700)}}`,
    ),
  };

  it.each(Object.entries(tokens))('%s in every token variable gives findings', async (_, token) => {
    expect(token.length).toBeGreaterThan(12_000);
    expect(token.length).toBeLessThan(16 * 1024);
    const { JWT_KEYS, JWT_JWKS } = await generateSigningKeys({ secret: SECRET });
    const env = {
      JWT_SECRET: SECRET,
      ANON_KEY: token,
      SERVICE_ROLE_KEY: token,
      JWT_KEYS,
      JWT_JWKS,
      ANON_KEY_ASYMMETRIC: token,
      SERVICE_ROLE_KEY_ASYMMETRIC: token,
    };
    const result = diagnoseKeys(env, { now: NOW_MS });
    expect(result.ok).toBe(false);
    for (const item of result.findings) expect(item.message.length).toBeLessThan(1000);
  });

  it('names an array claim instead of serialising it', () => {
    const result = diagnoseKeys(
      { JWT_SECRET: SECRET, ANON_KEY: tokens['deep role'], SERVICE_ROLE_KEY: undefined },
      { now: NOW_MS },
    );
    const invalid = result.findings.find((item) => item.code === 'JWT_CLAIM_INVALID');
    expect(invalid?.message).toBe('The role claim of ANON_KEY is an array, not a string.');
  });

  it('survives deeply nested JWT_KEYS and JWT_JWKS', () => {
    const nested = `[{"kty":"EC","crv":"P-256","x":"AA","y":"AA","extra":${DEEP}}]`;
    const result = diagnoseKeys({
      JWT_SECRET: SECRET,
      ANON_KEY: handSignHs256({ role: 'anon', iss: 'supabase', exp: NOW + 999_999 }, SECRET),
      JWT_KEYS: nested,
      JWT_JWKS: `{"keys":${DEEP}}`,
    });
    expect(result.findings.map((item) => item.code)).toContain('JWT_JWKS_MALFORMED');
  });

  it('turns a throwing getter in the env into InvalidInputError', () => {
    const env = {
      get JWT_SECRET(): string {
        throw new Error('boom');
      },
    };
    const error = thrown(() => diagnoseKeys(env));
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('could not be read');
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});

describe('readers validate non-string input', () => {
  it.each([5, null, undefined, {}, ['a.b.c'], Symbol('t')])(
    'decodeCompactJwt(%s) throws InvalidInputError',
    (input) => {
      const error = thrown(() => decodeCompactJwt(input as never));
      expect(InvalidInputError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('decodeCompactJwt');
    },
  );

  it('decodeCompactJwt still returns failures for any string', () => {
    expect(decodeCompactJwt('')).toEqual({ ok: false, failure: { kind: 'parts', count: 1 } });
  });

  it.each([
    [5, undefined],
    [null, undefined],
    [{ startsWith: () => true }, undefined],
    ['sb_secret_x', 7],
    ['sb_secret_x', ''],
  ])('parseOpaqueApiKey(%s, %s) throws InvalidInputError', (value, ref) => {
    const error = thrown(() => parseOpaqueApiKey(value as never, ref as never));
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('parseOpaqueApiKey');
  });

  it('opaqueKeyChecksum validates too', () => {
    expect(
      InvalidInputError.isInstance(thrown(() => opaqueKeyChecksum(Symbol('x') as never))),
    ).toBe(true);
    expect(opaqueKeyChecksum('sb_secret_abc', 'ref')).toHaveLength(8);
  });

  it('checkSecretConstraints rejects null options with InvalidInputError', () => {
    expect(() => checkSecretConstraints({}, null as never)).toThrow(InvalidInputError);
    expect(checkSecretConstraints({}, { requireAll: true }).length).toBeGreaterThan(0);
  });
});

describe('JSON errors of JWT_KEYS / JWT_JWKS keep no key material', () => {
  // A leading letter that starts no JSON literal, so V8 reports 'Unexpected token' with a snippet.
  const d = `Q${randomAlnum(42)}`;
  const k = b64url(randomAlnum(40));
  // Each text makes V8 quote a different part of the input in its SyntaxError message.
  const broken = [
    d, // the private key pasted alone: V8 says 'Unexpected token …, "<first 10 chars>"...'
    `${d}[{"kty":"EC"}]`,
    `[{"kty":"EC","crv":"P-256","d":"${d}"} ${d}]`,
    `{"keys":[{"kty":"oct","k":"${k}"}],}`,
    `'[{"kty":"oct","k":"${k}"}]`,
  ];

  function causeChain(error: unknown): string {
    const parts: string[] = [];
    let current: unknown = error;
    for (let depth = 0; current !== undefined && depth < 10; depth += 1) {
      parts.push(String(current), JSON.stringify(current) ?? '');
      current = (current as { cause?: unknown }).cause;
    }
    return parts.join('\n');
  }

  it.each(broken)('parseJwtKeys / parseJwks of %#', (text) => {
    for (const parse of [parseJwtKeys, parseJwks]) {
      const error = thrown(() => parse(text));
      expect(KeyFormatError.isInstance(error)).toBe(true);
      expect((error as Error).cause).toBeInstanceOf(SyntaxError);
      expect(leaks(causeChain(error), [d, k])).toBeUndefined();
    }
  });

  it('the check above does catch what V8 puts in the raw SyntaxError', () => {
    const raw = thrown(() => JSON.parse(d));
    expect(leaks(String(raw), [d])).toBeDefined();
  });

  it('keeps the position, and zod causes hold no key material either', () => {
    const error = thrown(() => parseJwtKeys(`[{"kty":"EC","d":"${d}"} x]`)) as Error;
    expect(error.message).toMatch(/syntax error at position \d+/);
    const shape = thrown(() =>
      parseJwtKeys(`[{"kty":"EC","crv":"P-256","x":"AA","y":"AA","d":"${d}+/"}]`),
    );
    expect(SupabaseJwtError.isInstance(shape)).toBe(true);
    expect(leaks(causeChain(shape), [d])).toBeUndefined();
  });
});
