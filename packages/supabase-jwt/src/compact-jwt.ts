import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { MAX_TOKEN_LENGTH } from './constants.js';
import { lazy } from './lazy.js';
import { parseInput } from './validation.js';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** A compact JWS split and decoded, without any signature check. */
export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  /** `header.payload` as it appears in the token: the signed bytes. */
  readonly signingInput: string;
  /** The third part, base64url. */
  readonly signature: string;
}

export type DecodeFailure =
  | { readonly kind: 'too-long' }
  | { readonly kind: 'parts'; readonly count: number }
  | { readonly kind: 'base64'; readonly part: 'header' | 'payload' | 'signature' }
  | { readonly kind: 'json'; readonly part: 'header' | 'payload' };

export type DecodeResult =
  | { readonly ok: true; readonly jwt: DecodedJwt }
  | { readonly ok: false; readonly failure: DecodeFailure };

/** Whether `text` is strict unpadded base64url. */
export function isBase64Url(text: string): boolean {
  return BASE64URL.test(text) && text.length % 4 !== 1;
}

function decodeJsonPart(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

const tokenSchema = lazy(() => z.string());

/**
 * Splits and decodes a compact JWT. Any string gives a result (failures come back as data);
 * only a non-string throws InvalidInputError.
 */
export function decodeCompactJwt(token: string): DecodeResult {
  // The typeof check keeps zod off the hot path: diagnosis decodes every key this way.
  if (typeof token !== 'string') {
    parseInput('decodeCompactJwt', tokenSchema(), token, 'pass the compact JWT as a string');
  }
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, failure: { kind: 'too-long' } };
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, failure: { kind: 'parts', count: parts.length } };
  const [headerText, payloadText, signature] = parts as [string, string, string];
  if (!isBase64Url(headerText)) return { ok: false, failure: { kind: 'base64', part: 'header' } };
  if (!isBase64Url(payloadText)) {
    return { ok: false, failure: { kind: 'base64', part: 'payload' } };
  }
  if (!isBase64Url(signature)) {
    return { ok: false, failure: { kind: 'base64', part: 'signature' } };
  }
  const header = decodeJsonPart(headerText);
  if (!header) return { ok: false, failure: { kind: 'json', part: 'header' } };
  const payload = decodeJsonPart(payloadText);
  if (!payload) return { ok: false, failure: { kind: 'json', part: 'payload' } };
  return {
    ok: true,
    jwt: { header, payload, signingInput: `${headerText}.${payloadText}`, signature },
  };
}

/** HMAC-SHA256 of `signingInput` with `key`, base64url. */
export function hs256Signature(signingInput: string, key: string | Buffer): string {
  return createHmac('sha256', key).update(signingInput).digest('base64url');
}

/** Constant-time check of an HS256 signature. */
export function verifyHs256(jwt: DecodedJwt, key: string | Buffer): boolean {
  const expected = Buffer.from(hs256Signature(jwt.signingInput, key));
  const actual = Buffer.from(jwt.signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
