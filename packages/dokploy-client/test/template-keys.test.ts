import { describe, expect, it } from 'vitest';
import { decodeJwt, envMap, useSimulator, verifyHs256 } from './helpers.js';

/** Keys of the Dokploy HEAD Supabase template (dokploy.md §3.2). */
const TEMPLATE_KEYS =
  `SUPABASE_HOST POSTGRES_PASSWORD JWT_SECRET ANON_KEY SERVICE_ROLE_KEY DASHBOARD_USERNAME DASHBOARD_PASSWORD SECRET_KEY_BASE VAULT_ENC_KEY PG_META_CRYPTO_KEY LOGFLARE_PUBLIC_ACCESS_TOKEN LOGFLARE_PRIVATE_ACCESS_TOKEN POSTGRES_HOST POSTGRES_DB POSTGRES_PORT POSTGRES_USER POOLER_PROXY_PORT_TRANSACTION POOLER_DEFAULT_POOL_SIZE POOLER_MAX_CLIENT_CONN POOLER_TENANT_ID POOLER_DB_POOL_SIZE KONG_HTTP_PORT KONG_HTTPS_PORT PGRST_DB_SCHEMAS PGRST_DB_MAX_ROWS PGRST_DB_EXTRA_SEARCH_PATH SITE_URL ADDITIONAL_REDIRECT_URLS JWT_EXPIRY DISABLE_SIGNUP API_EXTERNAL_URL JWT_KEYS MAILER_URLPATHS_CONFIRMATION MAILER_URLPATHS_INVITE MAILER_URLPATHS_RECOVERY MAILER_URLPATHS_EMAIL_CHANGE ENABLE_EMAIL_SIGNUP ENABLE_EMAIL_AUTOCONFIRM SMTP_ADMIN_EMAIL SMTP_HOST SMTP_PORT SMTP_USER SMTP_PASS SMTP_SENDER_NAME ENABLE_ANONYMOUS_USERS ENABLE_PHONE_SIGNUP ENABLE_PHONE_AUTOCONFIRM STUDIO_DEFAULT_ORGANIZATION STUDIO_DEFAULT_PROJECT SUPABASE_PUBLIC_URL GLOBAL_S3_BUCKET REGION STORAGE_TENANT_ID S3_PROTOCOL_ACCESS_KEY_ID S3_PROTOCOL_ACCESS_KEY_SECRET IMGPROXY_AUTO_WEBP OPENAI_API_KEY FUNCTIONS_VERIFY_JWT DOCKER_SOCKET_LOCATION GOOGLE_PROJECT_ID GOOGLE_PROJECT_NUMBER`.split(
    ' ',
  );

async function deploySupabase(t: ReturnType<typeof useSimulator>) {
  const { project } = await t.client.project.create({ name: 'Supa Base' });
  const compose = await t.client.compose.deployTemplate({
    projectId: project.projectId,
    id: 'supabase',
  });
  const env = envMap((await t.client.compose.one({ composeId: compose.composeId })).env ?? '');
  return { compose, env };
}

describe.each(['0.24.4', '0.25.5'])(
  'deployTemplate("supabase") on %s: the documented broken keys',
  (version) => {
    const warnings: string[] = [];
    const t = useSimulator({ version }, { logger: { warn: (m) => warnings.push(m) } });

    it('the client warns that this version signs broken keys', async () => {
      await deploySupabase(t);
      expect(warnings.some((w) => /before v0\.25\.6.*identical and without "role"/.test(w))).toBe(
        true,
      );
    });

    it('ANON_KEY and SERVICE_ROLE_KEY are identical, role-less, iss "dokploy", exp 2030', async () => {
      const { env } = await deploySupabase(t);
      expect([...env.keys()].sort()).toEqual([...TEMPLATE_KEYS].sort());
      const anon = env.get('ANON_KEY') ?? '';
      const service = env.get('SERVICE_ROLE_KEY') ?? '';
      expect(anon).toBe(service);
      const { header, payload } = decodeJwt(anon);
      expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
      expect(payload.role).toBeUndefined();
      expect(payload.iss).toBe('dokploy');
      expect(payload.exp).toBe(1893456000);
      expect(verifyHs256(anon, env.get('JWT_SECRET') ?? '')).toBe(true);
    });
  },
);

describe.each(['0.25.6', '0.29.0', '0.30.2'])(
  'deployTemplate("supabase") on %s: correct keys',
  (version) => {
    const warnings: string[] = [];
    const t = useSimulator({ version }, { logger: { warn: (m) => warnings.push(m) } });

    it('distinct anon/service_role keys with iss "supabase", signed with JWT_SECRET as a raw string', async () => {
      const { env, compose } = await deploySupabase(t);
      expect(warnings).toEqual([]);
      const secret = env.get('JWT_SECRET') ?? '';
      expect(secret).toMatch(/^[a-z0-9]{32}$/);
      const anon = env.get('ANON_KEY') ?? '';
      const service = env.get('SERVICE_ROLE_KEY') ?? '';
      expect(anon).not.toBe(service);
      expect(decodeJwt(anon).payload).toMatchObject({
        role: 'anon',
        iss: 'supabase',
        exp: 1893456000,
      });
      expect(decodeJwt(service).payload).toMatchObject({ role: 'service_role', iss: 'supabase' });
      expect(typeof decodeJwt(anon).payload.iat).toBe('number');
      expect(verifyHs256(anon, secret)).toBe(true);
      expect(verifyHs256(service, secret)).toBe(true);
      expect(verifyHs256(service, `${secret}x`)).toBe(false);
      // other generated values
      expect(env.get('POOLER_TENANT_ID')).toMatch(/^[0-9a-f-]{36}$/);
      expect(env.get('SECRET_KEY_BASE')).toMatch(/^[a-z0-9]{64}$/);
      const host = env.get('SUPABASE_HOST') ?? '';
      expect(env.get('SUPABASE_PUBLIC_URL')).toBe(`https://${host}`);
      // ... while the domain Dokploy creates is plain http without a certificate
      const domains = await t.client.domain.byComposeId({ composeId: compose.composeId });
      expect(domains).toHaveLength(1);
      expect(domains[0]).toMatchObject({
        host,
        serviceName: 'kong',
        port: 8000,
        https: false,
        certificateType: 'none',
        domainType: 'compose',
      });
      const detail = await t.client.compose.one({ composeId: compose.composeId });
      expect(detail.mounts).toHaveLength(15);
      expect(await t.client.compose.loadServices({ composeId: compose.composeId })).toEqual(
        expect.arrayContaining(['studio', 'kong', 'auth', 'rest', 'db', 'supavisor']),
      );
    });
  },
);
