// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose ${…} syntax is the test data
import { readFileSync } from 'node:fs';
import { generateLegacyApiKeys, generateSecrets } from '@supaops/supabase-jwt';

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** Upstream's docker/.env.example (shared/reference/supabase-selfhost). */
export const ENV_EXAMPLE = fixture('env.example');
/** The Dokploy template's docker-compose.yml and template.toml (snapshot 2026-07-22). */
export const DOKPLOY_COMPOSE = fixture('dokploy-compose.yml');
export const DOKPLOY_TEMPLATE_TOML = fixture('dokploy-template.toml');

/** The env lines of template.toml's `[config] env = [ '…', … ]` (single-quoted TOML strings). */
export function templateEnvLines(): string[] {
  const block = /\[config\]\s*\nenv = \[\n([\s\S]*?)\]\n/.exec(DOKPLOY_TEMPLATE_TOML)?.[1] ?? '';
  return [...block.matchAll(/^'(.*)',?$/gm)].map((m) => m[1] as string);
}

/** Keys of `.env.example`, the commented-out `# KEY=` ones included. */
export function envExampleKeys(): { set: string[]; commented: string[] } {
  const set = [...ENV_EXAMPLE.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] as string);
  const commented = [...ENV_EXAMPLE.matchAll(/^# ([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] as string);
  return { set, commented };
}

/** The `${VAR…}` references of each service block of a compose file. */
export function composeReferences(yaml: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  let service: string | undefined;
  let inServices = false;
  for (const line of yaml.split('\n')) {
    if (/^\S/.test(line)) {
      inServices = line.startsWith('services:');
      service = undefined;
      continue;
    }
    const name = /^ {2}([a-z][a-z0-9_-]*):\s*$/.exec(line);
    if (inServices && name) {
      service = name[1] as string;
      out.set(service, new Set());
      continue;
    }
    if (!service) continue;
    for (const m of line.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)) out.get(service)?.add(m[1] as string);
  }
  return out;
}

export const HOST = 'supabase.acme.dev';

/**
 * A healthy env for the Dokploy template's stack behind https://supabase.acme.dev: generated
 * secrets and keys, real-looking SMTP, JWT-verified functions. The doctor finds nothing in it.
 */
export async function healthyEnv(
  now = new Date('2026-09-01T00:00:00Z'),
): Promise<Record<string, string>> {
  const secrets = generateSecrets();
  const keys = await generateLegacyApiKeys({ secret: secrets.JWT_SECRET, now });
  const smtp = generateSecrets().POSTGRES_PASSWORD;
  return {
    SUPABASE_HOST: HOST,
    ...secrets,
    ...keys,
    POSTGRES_HOST: 'db',
    POSTGRES_DB: 'postgres',
    POSTGRES_PORT: '5432',
    POSTGRES_USER: 'postgres',
    POOLER_PROXY_PORT_TRANSACTION: '6543',
    POOLER_DEFAULT_POOL_SIZE: '20',
    POOLER_MAX_CLIENT_CONN: '100',
    POOLER_DB_POOL_SIZE: '5',
    KONG_HTTP_PORT: '8000',
    KONG_HTTPS_PORT: '8443',
    PGRST_DB_SCHEMAS: 'public,storage,graphql_public',
    PGRST_DB_MAX_ROWS: '1000',
    PGRST_DB_EXTRA_SEARCH_PATH: 'public',
    SITE_URL: 'https://app.acme.dev',
    ADDITIONAL_REDIRECT_URLS: 'https://app.acme.dev/**,myapp://callback',
    JWT_EXPIRY: '3600',
    DISABLE_SIGNUP: 'false',
    API_EXTERNAL_URL: `https://${HOST}`,
    JWT_KEYS: '[]',
    MAILER_URLPATHS_CONFIRMATION: '/auth/v1/verify',
    MAILER_URLPATHS_INVITE: '/auth/v1/verify',
    MAILER_URLPATHS_RECOVERY: '/auth/v1/verify',
    MAILER_URLPATHS_EMAIL_CHANGE: '/auth/v1/verify',
    ENABLE_EMAIL_SIGNUP: 'true',
    ENABLE_EMAIL_AUTOCONFIRM: 'false',
    SMTP_ADMIN_EMAIL: 'auth@mail.acme.dev',
    SMTP_HOST: 'smtp.mailprovider.net',
    SMTP_PORT: '587',
    SMTP_USER: 'apikey',
    SMTP_PASS: smtp,
    SMTP_SENDER_NAME: 'Acme',
    ENABLE_ANONYMOUS_USERS: 'false',
    ENABLE_PHONE_SIGNUP: 'false',
    ENABLE_PHONE_AUTOCONFIRM: 'false',
    STUDIO_DEFAULT_ORGANIZATION: 'Acme',
    STUDIO_DEFAULT_PROJECT: 'Shop',
    SUPABASE_PUBLIC_URL: `https://${HOST}`,
    GLOBAL_S3_BUCKET: 'stub',
    REGION: 'stub',
    STORAGE_TENANT_ID: 'stub',
    IMGPROXY_AUTO_WEBP: 'true',
    OPENAI_API_KEY: '',
    FUNCTIONS_VERIFY_JWT: 'true',
    DOCKER_SOCKET_LOCATION: '/var/run/docker.sock',
    GOOGLE_PROJECT_ID: 'GOOGLE_PROJECT_ID',
    GOOGLE_PROJECT_NUMBER: 'GOOGLE_PROJECT_NUMBER',
  };
}

/** Every value of the env that is a secret, for leak checks. */
export function secretValues(
  env: Record<string, string>,
  names: (name: string) => boolean,
): string[] {
  return Object.entries(env)
    .filter(([name, value]) => names(name) && value.length >= 8)
    .map(([, value]) => value);
}

/** Values that trip naive writers: each must read back exactly through compose's parser. */
export const TRICKY_VALUES: string[] = [
  '',
  'plain',
  'with inner space',
  ' leading',
  'trailing ',
  '\ttab',
  'a#b',
  'a #b',
  '#start',
  '$VAR',
  '${VAR}',
  'pa$$word',
  'cost: $5',
  'q"uote',
  "it's",
  '"start',
  "'start",
  '`tick',
  'back\\slash',
  'end\\',
  '\\',
  "'\\",
  'multi\nline',
  'cr\rlf',
  'crlf\r\n',
  'both \' and "',
  'x\\n',
  '\\"',
  'unicode ü 🎉',
  '=leading equals',
  'a=b=c',
  'https://user:p@ss@host/db?x=1#frag',
  '{"json": ["a", 1]}',
  '[]',
];
