import { c, defineVariables } from './define.js';
import type { EnvConstraint } from './types.js';

const COMMENTED =
  'Commented out in .env.example; read only once the matching GOTRUE_* lines of docker-compose.yml are uncommented.';

function optional(group: 'oauth' | 'sms' | 'mfa', constraint: EnvConstraint, what: string) {
  return {
    group,
    services: ['auth'] as const,
    constraint,
    sources: ['env.example'] as const,
    description: `${what}. ${COMMENTED}`,
  };
}

/** The optional OAuth, SMS and MFA settings of `.env.example` (commented out there). */
export const AUTH_PROVIDER_VARIABLES = defineVariables({
  GOOGLE_ENABLED: optional('oauth', c.boolean(), 'Google sign-in'),
  GOOGLE_CLIENT_ID: optional('oauth', c.text('the OAuth client id'), 'Google OAuth client id'),
  GOOGLE_SECRET: optional(
    'oauth',
    c.secret('the OAuth client secret'),
    'Google OAuth client secret',
  ),
  GITHUB_ENABLED: optional('oauth', c.boolean(), 'GitHub sign-in'),
  GITHUB_CLIENT_ID: optional('oauth', c.text('the OAuth client id'), 'GitHub OAuth client id'),
  GITHUB_SECRET: optional(
    'oauth',
    c.secret('the OAuth client secret'),
    'GitHub OAuth client secret',
  ),
  AZURE_ENABLED: optional('oauth', c.boolean(), 'Azure sign-in'),
  AZURE_CLIENT_ID: optional('oauth', c.text('the OAuth client id'), 'Azure OAuth client id'),
  AZURE_SECRET: optional('oauth', c.secret('the OAuth client secret'), 'Azure OAuth client secret'),
  SMS_PROVIDER: optional(
    'sms',
    c.identifier('twilio, twilio_verify, messagebird, textlocal or vonage'),
    'SMS provider',
  ),
  SMS_OTP_EXP: optional('sms', c.integer(1), 'Lifetime of SMS codes, in seconds'),
  SMS_OTP_LENGTH: optional('sms', c.integer(6, 10), 'Digits of SMS codes'),
  SMS_MAX_FREQUENCY: optional(
    'sms',
    c.text('a Go duration such as 60s'),
    'Minimum time between two SMS to one number',
  ),
  SMS_TEMPLATE: optional('sms', c.text('a template containing {{ .Code }}'), 'SMS text'),
  SMS_TWILIO_ACCOUNT_SID: optional('sms', c.text('the Twilio account SID'), 'Twilio account'),
  SMS_TWILIO_AUTH_TOKEN: optional('sms', c.secret('the Twilio auth token'), 'Twilio auth token'),
  SMS_TWILIO_MESSAGE_SERVICE_SID: optional(
    'sms',
    c.text('the Twilio message service SID'),
    'Twilio message service',
  ),
  SMS_TEST_OTP: optional(
    'sms',
    c.list('phone:code pairs, comma-separated'),
    'Fixed codes for test numbers',
  ),
  MFA_TOTP_ENROLL_ENABLED: optional('mfa', c.boolean(), 'TOTP enrolment'),
  MFA_TOTP_VERIFY_ENABLED: optional('mfa', c.boolean(), 'TOTP verification'),
  MFA_PHONE_ENROLL_ENABLED: optional('mfa', c.boolean(), 'Phone MFA enrolment'),
  MFA_PHONE_VERIFY_ENABLED: optional('mfa', c.boolean(), 'Phone MFA verification'),
  MFA_MAX_ENROLLED_FACTORS: optional('mfa', c.integer(1), 'Factors a user may enrol'),
});
