// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the messages name compose ${…} syntax
import type { DoctorCodeInfo } from './finding.js';

const REDEPLOY = 'then redeploy the compose so the services read it';

/** The doctor's own finding codes. Stable: new codes may be added, none renamed or reused. */
export const OWN_CODES = {
  ENV_CIPHERTEXT: {
    severity: 'error',
    title: 'Dokploy returned the env as ciphertext',
    fix: 'Restore the BETTER_AUTH_SECRET the env was saved with and restart Dokploy (v0.29.12+ encrypts envs at rest), or paste the env again in the Environment tab. Never write this value back.',
  },
  ENV_SYNTAX_ERROR: {
    severity: 'error',
    title: 'A line docker compose cannot read',
    fix: 'Write one KEY=VALUE per line, start comments with #, and close every quote on its line.',
  },
  ENV_DUPLICATE_KEY: {
    severity: 'warning',
    title: 'A key is set more than once',
    fix: 'Keep one line per key; docker compose uses the last one, so the others only mislead.',
  },
  ENV_INHERITED_KEY: {
    severity: 'warning',
    title: 'A key without "="',
    fix: 'Write KEY=VALUE (or KEY= for an empty value); a bare KEY takes its value from the Dokploy server process.',
  },
  ENV_UNDEFINED_REFERENCE: {
    severity: 'warning',
    title: 'A value refers to an undefined variable',
    fix: 'Write $$ for a literal $ or wrap the value in single quotes; or define the variable on an earlier line.',
  },
  ENV_INTERPOLATION_ERROR: {
    severity: 'error',
    title: 'A ${…} expression docker compose refuses',
    fix: 'Fix the expression (${NAME}, ${NAME:-default}), or write $$ for a literal $ / single-quote the value.',
  },
  ENV_UNKNOWN_VARIABLE: {
    severity: 'info',
    title: 'A variable neither the upstream nor the Dokploy compose uses',
    fix: 'Check the name for a typo; remove it if nothing reads it.',
  },
  ENV_VALUE_INVALID: {
    severity: 'error',
    title: "A value breaks its variable's constraint",
    fix: `Set a value of the documented form, ${REDEPLOY}.`,
  },
  REQUIRED_VARIABLE_MISSING: {
    severity: 'error',
    title: 'A required variable is missing or empty',
    fix: `Set it (generateSupabaseEnv() produces the secrets), ${REDEPLOY}.`,
  },
  SECRET_DEMO_VALUE: {
    severity: 'error',
    title: "A secret is the public value of upstream's .env.example",
    fix: `Generate a new value (generateSecrets() from @supaops/supabase-jwt), ${REDEPLOY}; POSTGRES_PASSWORD also needs ALTER USER for every role after the first boot.`,
  },
  DASHBOARD_PASSWORD_DEFAULT: {
    severity: 'error',
    title: 'The Studio dashboard password is the public default',
    fix: 'Set DASHBOARD_PASSWORD to 16+ random letters and digits, then redeploy so kong reads it.',
  },
  SECRET_PLACEHOLDER: {
    severity: 'warning',
    title: 'A secret still holds a placeholder',
    fix: `Replace it with a generated value, or leave it empty if the feature is unused, ${REDEPLOY}.`,
  },
  SECRET_LENGTH_INVALID: {
    severity: 'error',
    title: 'A secret has the wrong length for its service',
    fix: `Generate a value of the required length (generateSecrets()), ${REDEPLOY}.`,
  },
  SECRET_CONSTRAINT_VIOLATED: {
    severity: 'warning',
    title: 'A secret does not follow its documented form',
    fix: `Generate a value from [A-Za-z0-9] (generateSecrets()), ${REDEPLOY}.`,
  },
  POSTGRES_PASSWORD_BREAKS_URLS: {
    severity: 'error',
    title: 'POSTGRES_PASSWORD has characters that break the postgres:// URLs of the compose',
    fix: 'Use only letters and digits: the compose embeds the password unencoded in postgres:// URLs (supabase#35978); after the first boot change it with ALTER USER for every role too.',
  },
  SECRETS_REUSED: {
    severity: 'warning',
    title: 'Two secrets share one value',
    fix: `Give each secret its own generated value, ${REDEPLOY}.`,
  },
  URL_INVALID: {
    severity: 'error',
    title: 'A URL variable is not an absolute http(s) URL',
    fix: `Set it to scheme://host[:port] with the scheme the domain serves, ${REDEPLOY}.`,
  },
  PUBLIC_URL_HTTP: {
    severity: 'warning',
    title: 'A public URL uses plain http',
    fix: "Serve the gateway over https (Dokploy: domain https with Let's Encrypt) and set the URL to https://; keep http only for a local test instance.",
  },
  PUBLIC_URL_HTTP_ON_HTTPS_DOMAIN: {
    severity: 'error',
    title: 'A public URL says http while the domain serves https',
    fix: `Set SUPABASE_PUBLIC_URL and API_EXTERNAL_URL to https://<domain>, ${REDEPLOY}.`,
  },
  PUBLIC_URL_HTTPS_ON_HTTP_DOMAIN: {
    severity: 'error',
    title: 'A public URL says https while the domain serves plain http',
    fix: 'Enable https on the Dokploy domain (domain.update https: true, certificateType letsencrypt) and redeploy, or set the URLs to http:// (Dokploy creates template domains without a certificate).',
  },
  PUBLIC_URL_HOST_MISMATCH: {
    severity: 'error',
    title: "A public URL names another host than the compose's domain",
    fix: `Set the URL to the host of the gateway's Dokploy domain, ${REDEPLOY}.`,
  },
  PUBLIC_URLS_DISAGREE: {
    severity: 'warning',
    title: 'SUPABASE_PUBLIC_URL and API_EXTERNAL_URL point at different origins',
    fix: 'Use the same scheme and host for both: Auth and the other services sit behind one gateway.',
  },
  API_EXTERNAL_URL_TRAILING_SLASH: {
    severity: 'warning',
    title: 'API_EXTERNAL_URL ends with a slash',
    fix: 'Remove the trailing slash: Auth appends paths such as /callback to it.',
  },
  API_EXTERNAL_URL_PATH: {
    severity: 'error',
    title: 'API_EXTERNAL_URL has a path other than /auth/v1',
    fix: 'Use the bare origin (Kong template) or origin + /auth/v1 (upstream since supabase#47640, Envoy gateway).',
  },
  API_EXTERNAL_URL_MALFORMED: {
    severity: 'error',
    title: 'API_EXTERNAL_URL carries credentials, a query or a fragment',
    fix: 'Set it to scheme://host[:port] (optionally /auth/v1) and nothing else.',
  },
  SITE_URL_LOCALHOST: {
    severity: 'warning',
    title: 'SITE_URL points at localhost on a public instance',
    fix: `Set SITE_URL to the URL of the application that signs users in, ${REDEPLOY}.`,
  },
  SITE_URL_SCHEME_MISMATCH: {
    severity: 'warning',
    title: 'SITE_URL uses http while the instance is served over https',
    fix: 'Use the https URL of the application, or the browser refuses the redirect (mixed content, insecure cookies).',
  },
  REDIRECT_URL_INVALID: {
    severity: 'error',
    title: 'An ADDITIONAL_REDIRECT_URLS entry is not a URL',
    fix: 'List absolute URLs (scheme://host/path, * and ** allowed), separated by commas.',
  },
  REDIRECT_URL_SCHEME_MISMATCH: {
    severity: 'warning',
    title: "A redirect URL on the instance's host uses the other scheme",
    fix: 'Use the scheme the domain serves, or Auth refuses the redirect as not allowed.',
  },
  REDIRECT_URLS_LOCALHOST: {
    severity: 'info',
    title: 'ADDITIONAL_REDIRECT_URLS allows localhost on a public instance',
    fix: 'Remove the localhost entries once development is over (the Dokploy template adds http://localhost:3000/*).',
  },
  SMTP_FAKE_DEFAULTS: {
    severity: 'error',
    title: 'The fake SMTP defaults are set while sign-ups need a confirmation mail',
    fix: `Configure a real SMTP provider (SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASS, SMTP_ADMIN_EMAIL), or set ENABLE_EMAIL_AUTOCONFIRM=true for a test instance, ${REDEPLOY}.`,
  },
  SMTP_FAKE_WITH_AUTOCONFIRM: {
    severity: 'warning',
    title: 'The fake SMTP defaults are set: recovery, invite and magic-link mails fail',
    fix: 'Configure a real SMTP provider before relying on password recovery, invites or magic links.',
  },
  SMTP_NOT_CONFIGURED: {
    severity: 'error',
    title: 'No SMTP host while sign-ups need a confirmation mail',
    fix: 'Set SMTP_HOST and the other SMTP_* variables, or set ENABLE_EMAIL_AUTOCONFIRM=true.',
  },
  SMTP_SENDER_PLACEHOLDER: {
    severity: 'warning',
    title: 'SMTP_ADMIN_EMAIL is the example.com placeholder',
    fix: 'Use a sender address of a domain your SMTP provider is allowed to send for.',
  },
  POOLER_TENANT_ID_PLACEHOLDER: {
    severity: 'warning',
    title: "POOLER_TENANT_ID is .env.example's your-tenant-id",
    fix: 'Set a UUID (crypto.randomUUID()) before the first boot; pooler users become postgres.<tenant>, so change clients with it.',
  },
  POOLER_TENANT_ID_INVALID: {
    severity: 'warning',
    title: 'POOLER_TENANT_ID has characters that break postgres.<tenant> user names',
    fix: 'Use letters, digits, - and _ only (a UUID).',
  },
  POOLER_POOL_SIZE_ABOVE_CLIENT_LIMIT: {
    severity: 'warning',
    title: 'POOLER_DEFAULT_POOL_SIZE is larger than POOLER_MAX_CLIENT_CONN',
    fix: 'Keep the pool size at or below the client limit; extra server connections can never be used.',
  },
  POOLER_POOL_SIZE_EXCEEDS_MAX_CONNECTIONS: {
    severity: 'error',
    title: "POOLER_DEFAULT_POOL_SIZE does not fit the database's max_connections",
    fix: 'Lower POOLER_DEFAULT_POOL_SIZE below max_connections minus the reserved slots (or raise max_connections), then restart supavisor.',
  },
  POOLER_POOL_SIZE_TIGHT: {
    severity: 'warning',
    title: 'POOLER_DEFAULT_POOL_SIZE leaves no room for the services',
    fix: 'Lower POOLER_DEFAULT_POOL_SIZE to the recommended size in the message, then restart supavisor.',
  },
  DATABASE_UNREACHABLE: {
    severity: 'warning',
    title: 'The database could not be reached for the pool-size check',
    fix: 'Check the database URL (host, port, password, tunnel); the pool size was not checked.',
  },
  FUNCTIONS_VERIFY_JWT_DISABLED: {
    severity: 'warning',
    title: 'Edge functions do not verify JWTs',
    fix: `Set FUNCTIONS_VERIFY_JWT=true unless every function checks the caller itself, ${REDEPLOY}.`,
  },
  ANALYTICS_TOKENS_MISSING: {
    severity: 'error',
    title: 'Analytics runs without its Logflare tokens',
    fix: 'Set LOGFLARE_PUBLIC_ACCESS_TOKEN and LOGFLARE_PRIVATE_ACCESS_TOKEN to two different 32+ character values (generateSecrets()), or remove analytics and vector from the compose.',
  },
  ANALYTICS_DOCKER_SOCKET_MISSING: {
    severity: 'error',
    title: 'vector has no Docker socket to read logs from',
    fix: 'Set DOCKER_SOCKET_LOCATION=/var/run/docker.sock (db waits for a healthy vector, so the stack never starts).',
  },
  APP_NAME_INVALID: {
    severity: 'error',
    title: 'Dokploy refuses this app name',
    fix: 'Use only letters, digits, ., _ and - (^[a-zA-Z0-9._-]+$).',
  },
  APP_NAME_TOO_LONG: {
    severity: 'error',
    title: 'The app name is longer than Dokploy accepts',
    fix: 'Use at most 63 characters (Dokploy then appends -<6 characters>).',
  },
  APP_NAME_MANGLED: {
    severity: 'warning',
    title: 'Dokploy changes this app name',
    fix: 'Use a lowercase name so the compose project, containers and domains carry the name you chose.',
  },
  APP_NAME_NOT_DNS_SAFE: {
    severity: 'warning',
    title: 'The app name ends up in generated domains it cannot be part of',
    fix: "Use only lowercase letters, digits and -: '_' breaks Let's Encrypt (dokploy#4716) and Dokploy v0.29.9+ refuses such hosts, '.' adds DNS labels.",
  },
  PROJECT_NAME_MANGLED: {
    severity: 'warning',
    title: 'Dokploy strips characters from this project name in app names and domains',
    fix: 'Use ASCII letters, digits and spaces so the generated app name and domain stay recognizable.',
  },
  GENERATED_DOMAIN_LABEL_TOO_LONG: {
    severity: 'error',
    title: 'The generated domain label is longer than 63 characters',
    fix: 'Shorten the project or app name, or upgrade Dokploy to v0.25.7+ (dokploy#2905), or set your own domain.',
  },
  GENERATED_DOMAIN_NAME_TRUNCATED: {
    severity: 'info',
    title: 'Only the first 40 characters of the name appear in the generated domain',
    fix: 'Shorten the name if the domain should show all of it; nothing breaks on Dokploy v0.25.7+.',
  },
  DOMAIN_MISSING: {
    severity: 'warning',
    title: 'No Dokploy domain routes to the gateway',
    fix: "Create a domain for the gateway service (kong, port 8000) with https and Let's Encrypt, then redeploy.",
  },
  DOMAIN_SERVICE_MISSING: {
    severity: 'error',
    title: 'A domain points at a service the compose does not have',
    fix: 'Edit the domain to the gateway service (kong, or api-gw after the Envoy move, templates#1131), then redeploy.',
  },
  DOMAIN_HOST_INVALID: {
    severity: 'error',
    title: 'A domain host is not a valid DNS name',
    fix: "Use labels of letters, digits and - of at most 63 characters; '_' breaks Let's Encrypt (dokploy#4716).",
  },
} as const satisfies Record<string, DoctorCodeInfo>;
