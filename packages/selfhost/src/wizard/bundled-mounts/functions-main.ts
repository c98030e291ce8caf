// functions/main/index.ts for the bundled template, written by supaops from the edge runtime's
// documented main-service contract: the runtime starts it with --main-service
// /home/deno/functions/main and it hands each request to a user worker. It imports nothing (a
// server without internet access starts it) and has no `${` (Dokploy expands those at import).

/** `/volumes/functions/main/index.ts`: routes /<name> to a user worker, checks the JWT. */
export const FUNCTIONS_MAIN_TS = `// Edge runtime main service of the supaops bundled Supabase template (written by supaops).
// Kong forwards /functions/v1/<name>/... here as /<name>/...; the request runs in a user worker
// started from /home/deno/functions/<name>. With VERIFY_JWT=true a request needs
// "Authorization: Bearer <jwt>" signed HS256 with JWT_SECRET and not expired.

const FUNCTIONS_DIR = '/home/deno/functions';
const JWT_SECRET = Deno.env.get('JWT_SECRET') ?? '';
const VERIFY_JWT = Deno.env.get('VERIFY_JWT') === 'true';
const FUNCTION_NAME = /^[A-Za-z0-9_-]+$/;

function reply(status: number, msg: string): Response {
  return new Response(JSON.stringify({ msg }), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function fromBase64Url(part: string): Uint8Array {
  const padded = part.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (part.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

let hmacKey: Promise<CryptoKey> | undefined;

/** Why the token is not acceptable, or undefined when it is. */
async function jwtProblem(token: string): Promise<string | undefined> {
  const parts = token.split('.');
  if (parts.length !== 3) return 'not a JWT';
  let header: { alg?: unknown };
  let payload: { exp?: unknown };
  try {
    header = JSON.parse(new TextDecoder().decode(fromBase64Url(parts[0])));
    payload = JSON.parse(new TextDecoder().decode(fromBase64Url(parts[1])));
  } catch {
    return 'not a JWT';
  }
  if (header.alg !== 'HS256') return 'algorithm ' + String(header.alg) + ' is not HS256';
  if (JWT_SECRET === '') return 'JWT_SECRET is not set';
  hmacKey ??= crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(JWT_SECRET),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  const signed = new TextEncoder().encode(parts[0] + '.' + parts[1]);
  let signature: Uint8Array;
  try {
    signature = fromBase64Url(parts[2]);
  } catch {
    return 'invalid signature';
  }
  if (!(await crypto.subtle.verify('HMAC', await hmacKey, signature, signed))) {
    return 'invalid signature';
  }
  if (typeof payload.exp === 'number' && payload.exp <= Date.now() / 1000) return 'expired';
  return undefined;
}

Deno.serve(async (req: Request) => {
  const name = new URL(req.url).pathname.split('/')[1] ?? '';
  if (!FUNCTION_NAME.test(name) || name === 'main') return reply(404, 'Function not found');

  if (VERIFY_JWT && req.method !== 'OPTIONS') {
    const match = /^Bearer\\s+(\\S+)$/i.exec(req.headers.get('authorization') ?? '');
    if (!match) return reply(401, 'Missing authorization header');
    const problem = await jwtProblem(match[1]);
    if (problem) return reply(401, 'Invalid JWT: ' + problem);
  }

  const servicePath = FUNCTIONS_DIR + '/' + name;
  try {
    await Deno.stat(servicePath);
  } catch {
    return reply(404, 'Function not found');
  }
  try {
    const worker = await EdgeRuntime.userWorkers.create({
      servicePath,
      memoryLimitMb: 150,
      workerTimeoutMs: 60 * 1000,
      noModuleCache: false,
      importMapPath: null,
      envVars: Object.entries(Deno.env.toObject()),
    });
    return await worker.fetch(req);
  } catch (error) {
    console.error('main: function ' + name + ' failed', error);
    return reply(500, 'Function ' + name + ' failed: ' + String((error as Error)?.message ?? error));
  }
});
`;
