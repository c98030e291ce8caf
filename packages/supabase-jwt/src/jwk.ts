import { z } from 'zod';
import { MAX_JSON_LENGTH } from './constants.js';
import { KeyFormatError } from './errors.js';
import { lazy } from './lazy.js';

/** An EC P-256 JWK (public, or private when `d` is present). */
function buildEcJwkSchema() {
  const b64u = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');
  return z.looseObject({
    kty: z.literal('EC'),
    crv: z.literal('P-256'),
    x: b64u,
    y: b64u,
    d: b64u.optional(),
    kid: z.string().optional(),
    alg: z.string().optional(),
    use: z.string().optional(),
    key_ops: z.array(z.string()).optional(),
    ext: z.boolean().optional(),
  });
}

/** A symmetric JWK: upstream puts JWT_SECRET (base64url) into JWT_KEYS and JWT_JWKS as one. */
function buildOctJwkSchema() {
  return z.looseObject({
    kty: z.literal('oct'),
    k: z.string().regex(/^[A-Za-z0-9_-]*$/, 'must be base64url'),
    kid: z.string().optional(),
    alg: z.string().optional(),
  });
}

const jwkSchema = lazy(() => z.union([buildEcJwkSchema(), buildOctJwkSchema()]));

export type EcJwk = z.infer<ReturnType<typeof buildEcJwkSchema>>;
export type OctJwk = z.infer<ReturnType<typeof buildOctJwkSchema>>;
export type SupabaseJwk = EcJwk | OctJwk;

export interface JwksDocument {
  keys: SupabaseJwk[];
}

const jwtKeysSchema = lazy(() => z.array(jwkSchema()));
const jwksSchema = lazy(() => z.looseObject({ keys: z.array(jwkSchema()) }));

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

function parseJsonText(variable: string, text: string): unknown {
  if (text.length > MAX_JSON_LENGTH) {
    throw new KeyFormatError(
      variable,
      `${variable} is ${text.length} characters, more than the ${MAX_JSON_LENGTH} a key set can reasonably hold. Fix: set it to the output of generateSigningKeys().`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8 quotes the start of the text in some syntax errors ('Unexpected token …, "[{"d":"…"...'),
    // and that text is key material: the chained cause keeps only the position.
    const position = /at position (\d+)/.exec((error as Error).message)?.[1];
    const where = position === undefined ? '' : ` at position ${position}`;
    throw new KeyFormatError(
      variable,
      `${variable} is not valid JSON (syntax error${where}). Fix: set it to the output of generateSigningKeys() (one line of JSON, no surrounding quotes).`,
      { cause: new SyntaxError(`JSON.parse failed${where}`) },
    );
  }
}

/** Parses JWT_KEYS (a JSON array of JWKs) or throws KeyFormatError. */
export function parseJwtKeys(value: string | readonly unknown[]): SupabaseJwk[] {
  const raw = typeof value === 'string' ? parseJsonText('JWT_KEYS', value) : value;
  const result = jwtKeysSchema().safeParse(raw);
  if (!result.success) {
    throw new KeyFormatError(
      'JWT_KEYS',
      `JWT_KEYS is not an array of EC P-256 or oct JWKs (${describe(result.error)}). Fix: regenerate it with generateSigningKeys().`,
      { cause: result.error },
    );
  }
  return result.data;
}

/** Parses JWT_JWKS (`{"keys": [...]}`) or throws KeyFormatError. */
export function parseJwks(value: string | object): JwksDocument {
  const raw = typeof value === 'string' ? parseJsonText('JWT_JWKS', value) : value;
  const result = jwksSchema().safeParse(raw);
  if (!result.success) {
    throw new KeyFormatError(
      'JWT_JWKS',
      `JWT_JWKS is not a JWKS {"keys": [...]} of EC P-256 or oct JWKs (${describe(result.error)}). Fix: set it to the JWT_JWKS output of generateSigningKeys().`,
      { cause: result.error },
    );
  }
  return { keys: result.data.keys };
}

export function isEc(jwk: SupabaseJwk): jwk is EcJwk {
  return jwk.kty === 'EC';
}

export function isOct(jwk: SupabaseJwk): jwk is OctJwk {
  return jwk.kty === 'oct';
}
