import { describe, expect, it } from 'vitest';
import { CloneSettingsError } from './clone-errors.js';
import {
  carriedSettings,
  cloneRedirectUrls,
  cloneSiteUrl,
  cloneSmtp,
  freshSecrets,
  INSTANCE_SECRET_KEYS,
  usesNewStyleKeys,
} from './source-settings.js';

const source = {
  SUPABASE_HOST: 'supabase.acme.dev',
  SUPABASE_PUBLIC_URL: 'https://supabase.acme.dev',
  API_EXTERNAL_URL: 'https://supabase.acme.dev',
  SITE_URL: 'https://app.acme.dev',
  ADDITIONAL_REDIRECT_URLS: 'https://app.acme.dev/**, https://supabase.acme.dev/auth/*,myapp://cb',
  JWT_SECRET: 'x'.repeat(40),
  POSTGRES_PASSWORD: 'p'.repeat(32),
  POOLER_TENANT_ID: 'tenant',
  REALTIME_DB_ENC_KEY: 'r'.repeat(16),
  DASHBOARD_USERNAME: 'ops_admin',
  APP_NAME: 'shop-supabase-abc123',
  SMTP_HOST: 'smtp.mailprovider.net',
  SMTP_PORT: '587',
  SMTP_USER: 'apikey',
  SMTP_PASS: 'mail-pass-1234',
  SMTP_ADMIN_EMAIL: 'auth@mail.acme.dev',
  SMTP_SENDER_NAME: 'Acme',
  ENABLE_EMAIL_AUTOCONFIRM: 'false',
  PGRST_DB_SCHEMAS: 'public,storage',
  OPENAI_API_KEY: 'sk-user-provided',
};

describe('what a clone takes from its source', () => {
  it('carries settings and external credentials, never instance secrets, URLs or injected names', () => {
    const carried = carriedSettings(source);
    expect(Object.keys(carried).sort()).toEqual([
      'DASHBOARD_USERNAME',
      'ENABLE_EMAIL_AUTOCONFIRM',
      'OPENAI_API_KEY',
      'PGRST_DB_SCHEMAS',
      'SMTP_ADMIN_EMAIL',
      'SMTP_HOST',
      'SMTP_PASS',
      'SMTP_PORT',
      'SMTP_SENDER_NAME',
      'SMTP_USER',
    ]);
    for (const key of [
      'JWT_SECRET',
      'ANON_KEY',
      'JWT_KEYS',
      'SUPABASE_SECRET_KEY',
      'POOLER_TENANT_ID',
    ])
      expect(INSTANCE_SECRET_KEYS.has(key), key).toBe(true);
    expect(INSTANCE_SECRET_KEYS.has('DASHBOARD_USERNAME')).toBe(false);
  });

  it('keeps another app’s SITE_URL and swaps the gateway host in the redirect list', () => {
    expect(cloneSiteUrl(source, undefined)).toBe('https://app.acme.dev');
    expect(cloneSiteUrl(source, 'https://staging.app.dev')).toBe('https://staging.app.dev');
    expect(cloneSiteUrl({ ...source, SITE_URL: 'https://supabase.acme.dev' }, undefined)).toBe(
      undefined,
    );
    expect(cloneSiteUrl({ ...source, SITE_URL: 'nonsense' }, undefined)).toBe(undefined);
    expect(cloneRedirectUrls(source, 'copy.acme.dev', undefined)).toEqual([
      'https://app.acme.dev/**',
      'https://copy.acme.dev/auth/*',
      'myapp://cb',
    ]);
    expect(cloneRedirectUrls(source, 'c.dev', ['x://y'])).toEqual(['x://y']);
    expect(
      cloneRedirectUrls({ ...source, ADDITIONAL_REDIRECT_URLS: ' ' }, 'c.dev', undefined),
    ).toBe(undefined);
  });

  it('takes the SMTP answer from the env, or the explicit development choice', () => {
    expect(cloneSmtp(source)).toEqual({
      mode: 'smtp',
      host: 'smtp.mailprovider.net',
      port: 587,
      user: 'apikey',
      pass: 'mail-pass-1234',
      adminEmail: 'auth@mail.acme.dev',
      senderName: 'Acme',
    });
    expect(cloneSmtp({ ...source, ENABLE_EMAIL_AUTOCONFIRM: 'TRUE' })).toEqual({
      mode: 'development-autoconfirm',
    });
    let error: unknown;
    try {
      cloneSmtp({ ...source, SMTP_PORT: 'x', SMTP_ADMIN_EMAIL: 'not-mail' });
    } catch (e) {
      error = e;
    }
    expect(CloneSettingsError.isInstance(error)).toBe(true);
    expect((error as CloneSettingsError).missing).toEqual(['SMTP_PORT', 'SMTP_ADMIN_EMAIL']);
  });

  it('generates fresh secrets in the source’s key style, with its dashboard user', async () => {
    expect(usesNewStyleKeys(source)).toBe(false);
    expect(usesNewStyleKeys({ JWT_KEYS: '[]' })).toBe(false);
    expect(usesNewStyleKeys({ JWT_KEYS: '[{"kty":"oct"}]' })).toBe(true);
    expect(usesNewStyleKeys({ SUPABASE_PUBLISHABLE_KEY: 'sb_publishable_x' })).toBe(true);
    const legacy = await freshSecrets(source);
    expect(legacy.DASHBOARD_USERNAME).toBe('ops_admin');
    expect(legacy.JWT_SECRET).not.toBe(source.JWT_SECRET);
    expect(legacy.REALTIME_DB_ENC_KEY).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(legacy.REALTIME_DB_ENC_KEY).not.toBe(source.REALTIME_DB_ENC_KEY);
    expect(legacy.JWT_KEYS).toBeUndefined();
    const modern = await freshSecrets({
      DASHBOARD_USERNAME: 'bad name!',
      SUPABASE_SECRET_KEY: 'sb_secret_x',
    });
    expect(modern.DASHBOARD_USERNAME).toBe('supabase');
    expect(modern.SUPABASE_PUBLISHABLE_KEY).toMatch(/^sb_publishable_/);
    expect(modern.JWT_JWKS).toContain('keys');
    expect(modern.REALTIME_DB_ENC_KEY).toBeUndefined();
  });
});
