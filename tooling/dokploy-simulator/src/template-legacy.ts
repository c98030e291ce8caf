import { createHmac } from 'node:crypto';
import { generateDomain } from './domain-name.js';
import { generateBase64, generatePassword, type TemplateSchema } from './template-helpers.js';

/*
 * Before v0.20.0 templates were bundled TypeScript (apps/dokploy/templates/supabase/index.ts,
 * removed by d4a98eb85). Its generate() signed *correct* keys: distinct anon/service_role
 * tokens, iss "supabase", exp now+100 years, with a generateBase64(32) secret. This is that
 * generator's env and domain; the compose file and mounts the simulator pairs with it are the
 * current snapshot's (the 2024 compose is not bundled).
 */

function sign(payload: Record<string, unknown>, secret: string): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(payload)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

function supabaseKey(role: 'anon' | 'service_role', secret: string): string {
  const iat = Math.floor(Date.now() / 1000);
  return sign({ role, iss: 'supabase', iat, exp: iat + 100 * 365 * 24 * 60 * 60 }, secret);
}

export function legacySupabaseTemplate(schema: TemplateSchema): {
  envs: string[];
  domains: { host: string; port: number; serviceName: string }[];
} {
  const mainDomain = generateDomain(schema.projectName, schema.serverIp, schema.version);
  const jwtSecret = generateBase64(32);
  const logflareApiKey = generatePassword(32);
  const verify = '"/auth/v1/verify"';
  return {
    domains: [{ serviceName: 'kong', host: mainDomain, port: 8000 }],
    envs: [
      `SUPABASE_HOST=${mainDomain}`,
      `POSTGRES_PASSWORD=${generatePassword(32)}`,
      `JWT_SECRET=${jwtSecret}`,
      `ANON_KEY=${supabaseKey('anon', jwtSecret)}`,
      `SERVICE_ROLE_KEY=${supabaseKey('service_role', jwtSecret)}`,
      'DASHBOARD_USERNAME=supabase',
      `DASHBOARD_PASSWORD=${generatePassword(32)}`,
      'POSTGRES_HOSTNAME=db',
      'POSTGRES_DB=postgres',
      'POSTGRES_PORT=5432',
      'KONG_HTTP_PORT=8000',
      'KONG_HTTPS_PORT=8443',
      'PGRST_DB_SCHEMAS=public,storage,graphql_public',
      'ADDITIONAL_REDIRECT_URLS=',
      'JWT_EXPIRY=3600',
      'DISABLE_SIGNUP=false',
      `MAILER_URLPATHS_CONFIRMATION=${verify}`,
      `MAILER_URLPATHS_INVITE=${verify}`,
      `MAILER_URLPATHS_RECOVERY=${verify}`,
      `MAILER_URLPATHS_EMAIL_CHANGE=${verify}`,
      'ENABLE_EMAIL_SIGNUP=true',
      'ENABLE_EMAIL_AUTOCONFIRM=false',
      'SMTP_ADMIN_EMAIL=admin@example.com',
      'SMTP_HOSTNAME=supabase-mail',
      'SMTP_PORT=2500',
      'SMTP_USER=fake_mail_user',
      'SMTP_PASS=fake_mail_password',
      'SMTP_SENDER_NAME=fake_sender',
      'ENABLE_ANONYMOUS_USERS=false',
      'ENABLE_PHONE_SIGNUP=true',
      'ENABLE_PHONE_AUTOCONFIRM=true',
      'STUDIO_DEFAULT_ORGANIZATION=Default Organization',
      'STUDIO_DEFAULT_PROJECT=Default Project',
      'STUDIO_PORT=3000',
      'IMGPROXY_ENABLE_WEBP_DETECTION=true',
      'FUNCTIONS_VERIFY_JWT=false',
      `LOGFLARE_LOGGER_BACKEND_API_KEY=${logflareApiKey}`,
      `LOGFLARE_API_KEY=${logflareApiKey}`,
      'DOCKER_SOCKET_LOCATION=/var/run/docker.sock',
      'GOOGLE_PROJECT_ID=GOOGLE_PROJECT_ID',
      'GOOGLE_PROJECT_NUMBER=GOOGLE_PROJECT_NUMBER',
    ],
  };
}
