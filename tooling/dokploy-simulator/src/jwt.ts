import { createHmac } from 'node:crypto';

function b64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/** HS256 JWT signed with `secret` taken as a raw UTF-8 string, as Dokploy's `generateJwt` does. */
export function signHs256(payload: Record<string, unknown>, secret: string): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(payload));
  const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${signature}`;
}
