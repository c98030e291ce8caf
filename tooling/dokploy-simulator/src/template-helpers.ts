// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Dokploy template syntax, not JS templates
import { createHmac, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { generateDomain } from './domain-name.js';
import { atLeast, type SimVersion } from './version.js';

/** What a template is rendered for: `${domain}` uses `projectName` and `serverIp`. */
export interface TemplateSchema {
  readonly projectName: string;
  readonly serverIp: string;
  readonly version: SimVersion;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Dokploy's `${password:N}`: N characters of [A-Za-z0-9], then lower-cased. */
export function generatePassword(length = 16): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[randomInt(ALNUM.length)];
  return out.toLowerCase();
}

export function generateBase64(bytes = 32): string {
  return randomBytes(bytes).toString('base64');
}

export function generateHash(length = 8): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}

const DEFAULT_EXP = Math.floor(Date.parse('2030-01-01T00:00:00Z') / 1000);

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

/**
 * templates/index.ts generateJwt: `{length}` gives `randomBytes(length)` as hex (2N
 * characters, not a JWT). Otherwise HS256 over `{iat, exp, ...payload}` with the payload's
 * missing `iss`/`iat`/`exp` filled (`dokploy`, now, 2030-01-01), signed with the secret as a
 * raw string (a random one when there is none).
 */
export function generateJwt(
  options: { length?: number; secret?: string; payload?: Record<string, unknown> } = {},
): string {
  if (options.length) return randomBytes(options.length).toString('hex');
  const payload = { ...(options.payload ?? {}) };
  const nowSeconds = Math.floor(Date.now() / 1000);
  if (!payload.iss) payload.iss = 'dokploy';
  if (!payload.iat) payload.iat = nowSeconds;
  if (!payload.exp) payload.exp = DEFAULT_EXP;
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify({ iat: nowSeconds, exp: DEFAULT_EXP, ...payload }));
  const secret = options.secret || randomBytes(32).toString('hex');
  const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${signature}`;
}

const FIRST = ['alex', 'maria', 'kenji', 'ines', 'omar', 'lena', 'tomas', 'ada'];
const LAST = ['hintz', 'okafor', 'silva', 'novak', 'berg', 'kaur', 'moreau', 'ito'];
const pick = (xs: string[]) => xs[randomInt(xs.length)] ?? 'x';

/** faker.internet.userName().toLowerCase() / email(): random, realistic-looking. */
export function randomUsername(): string {
  return `${pick(FIRST)}.${pick(LAST)}${randomInt(100)}`;
}
export function randomEmail(): string {
  return `${pick(FIRST)}.${pick(LAST)}@example.com`;
}

const intOr = (text: string | undefined, fallback: number): number =>
  Number.parseInt(text ?? '', 10) || fallback;

/** `${jwt:secret:payloadVar}` (v0.21.8+); the payload is trimmed only from v0.25.6 (Dokploy#2868). */
function jwtWithPayload(
  params: string[],
  variables: Record<string, string>,
  version: SimVersion,
): string {
  const [secret, payloadName] = params;
  let payload: unknown = payloadName;
  if (typeof payloadName === 'string' && variables[payloadName]) payload = variables[payloadName];
  const trim = atLeast(version, '0.25.6');
  if (
    typeof payload === 'string' &&
    (trim ? payload.trimStart() : payload).startsWith('{') &&
    (trim ? payload.trimEnd() : payload).endsWith('}')
  ) {
    try {
      payload = JSON.parse(payload);
    } catch {
      payload = undefined; // Dokploy logs "Invalid JWT payload" and carries on
    }
  }
  return generateJwt({
    ...(secret ? { secret: variables[secret] || secret } : {}),
    ...(payload && typeof payload === 'object'
      ? { payload: payload as Record<string, unknown> }
      : {}),
  });
}

/** One helper of processors.ts processValue at v0.21.8+ (helper names win over variables). */
function modernHelper(
  name: string,
  variables: Record<string, string>,
  schema: TemplateSchema,
): string | undefined {
  const arg = name.split(':')[1];
  if (name === 'domain') return generateDomain(schema.projectName, schema.serverIp, schema.version);
  if (name === 'base64') return generateBase64(32);
  if (name.startsWith('base64:')) return generateBase64(intOr(arg, 32));
  if (name.startsWith('password:')) return generatePassword(intOr(arg, 16));
  if (name === 'password') return generatePassword(16);
  if (name.startsWith('hash:')) return generateHash(intOr(arg, 8));
  if (name === 'hash') return generateHash();
  if (name === 'uuid') return randomUUID();
  if (name === 'timestamp' || name === 'timestampms') return String(Date.now());
  if (name === 'timestamps') return String(Math.round(Date.now() / 1000));
  if (name.startsWith('timestampms:')) return String(new Date(name.slice(12)).getTime());
  if (name.startsWith('timestamps:'))
    return String(Math.round(new Date(name.slice(11)).getTime() / 1000));
  if (name === 'randomPort') return String(Math.floor(Math.random() * 65535));
  if (name === 'jwt') return generateJwt();
  if (name.startsWith('jwt:')) {
    const params = name.split(':').slice(1);
    if (params.length === 1 && /^\d{1,3}$/.test(params[0] ?? ''))
      return generateJwt({ length: Number.parseInt(params[0] ?? '', 10) });
    return jwtWithPayload(params, variables, schema.version);
  }
  if (name === 'username') return randomUsername();
  if (name === 'email') return randomEmail();
  return undefined;
}

/**
 * The v0.21.0–v0.21.7 helpers: no `${timestamps:…}` or bare `${hash}` yet, and `${jwt:X}` is
 * `randomBytes(parseInt(X) || 256)` as hex, so `${jwt:jwt_secret:payload}` gives 512 hex
 * characters, not a JWT.
 */
function legacyHelper(name: string, schema: TemplateSchema): string | undefined {
  const arg = name.split(':')[1];
  if (name === 'domain') return generateDomain(schema.projectName, schema.serverIp, schema.version);
  if (name === 'base64') return generateBase64(32);
  if (name.startsWith('base64:')) return generateBase64(intOr(arg, 32));
  if (name.startsWith('password:')) return generatePassword(intOr(arg, 16));
  if (name === 'password') return generatePassword(16);
  if (name.startsWith('hash:')) return generateHash(intOr(arg, 8));
  if (name === 'uuid') return randomUUID();
  if (name === 'timestamp') return String(Date.now());
  if (name === 'randomPort') return String(Math.floor(Math.random() * 65535));
  // generateJwt(length = 256) was plain randomBytes(length).toString("hex") then
  if (name === 'jwt') return generateJwt({ length: 256 });
  if (name.startsWith('jwt:')) return generateJwt({ length: intOr(arg, 256) });
  return undefined;
}

const PLACEHOLDER = /\$\{([^}]+)\}/g;

/** processors.ts processValue: helpers first, then variables, then a second variables pass. */
export function processValue(
  value: string,
  variables: Record<string, string>,
  schema: TemplateSchema,
): string {
  const legacy = !atLeast(schema.version, '0.21.8');
  const lookup = (match: string, name: string) =>
    legacy ? variables[name] || match : name in variables ? (variables[name] ?? match) : match;
  const first = value.replace(PLACEHOLDER, (match, name: string) => {
    const helped = legacy ? legacyHelper(name, schema) : modernHelper(name, variables, schema);
    return helped ?? lookup(match, name);
  });
  return first.replace(PLACEHOLDER, lookup);
}

/**
 * processors.ts processVariables: pass 1 settles only values that *are* `${domain}` or start
 * with `${base64:`, `${password:`, `${hash:` (or are `${hash}`); pass 2 runs processValue over
 * every variable in declaration order, so a variable sees later ones unprocessed.
 */
export function processVariables(
  declared: Record<string, unknown>,
  schema: TemplateSchema,
): Record<string, string> {
  const variables: Record<string, string> = {};
  const legacy = !atLeast(schema.version, '0.21.8');
  const length = (value: string, helper: string, fallback: number) => {
    const m = new RegExp(`\\$\\{${helper}:(\\d+)\\}`).exec(value);
    return m?.[1] ? Number.parseInt(m[1], 10) : fallback;
  };
  for (const [key, value] of Object.entries(declared)) {
    if (typeof value !== 'string') continue;
    if (value === '${domain}')
      variables[key] = generateDomain(schema.projectName, schema.serverIp, schema.version);
    else if (value.startsWith('${base64:'))
      variables[key] = generateBase64(length(value, 'base64', 32));
    else if (value.startsWith('${password:'))
      variables[key] = generatePassword(length(value, 'password', 16));
    else if (value === '${hash}' && !legacy) variables[key] = generateHash();
    else if (value.startsWith('${hash:')) variables[key] = generateHash(length(value, 'hash', 8));
    else variables[key] = value;
  }
  for (const [key, value] of Object.entries(variables)) {
    variables[key] = processValue(value, variables, schema);
  }
  return variables;
}
