import { type Check, flag, readersOf, runs, setValue } from './context.js';
import { type DoctorFinding, finding } from './finding.js';

/** `.env.example`'s SMTP placeholders (the Dokploy template copies them). */
export const FAKE_SMTP_DEFAULTS: Readonly<Record<string, string>> = {
  SMTP_HOST: 'supabase-mail',
  SMTP_USER: 'fake_mail_user',
  SMTP_PASS: 'fake_mail_password',
};

/**
 * Auth mail: the fake SMTP defaults (or no SMTP at all) while sign-ups need a confirmation
 * mail fail every sign-up with 500 "Error sending confirmation mail" (supabase#12075).
 */
export const checkSmtp: Check = (ctx) => {
  if (!runs(ctx, 'auth')) return [];
  const out: DoctorFinding[] = [];
  const services = readersOf(ctx, 'SMTP_HOST');
  const emailSignup = flag(ctx, 'ENABLE_EMAIL_SIGNUP', true);
  const autoconfirm = flag(ctx, 'ENABLE_EMAIL_AUTOCONFIRM', false);
  const needsMail = emailSignup && !autoconfirm;
  const fake = Object.keys(FAKE_SMTP_DEFAULTS).filter(
    (name) => ctx.env[name] === FAKE_SMTP_DEFAULTS[name],
  );
  const host = setValue(ctx, 'SMTP_HOST');
  if (fake.length > 0) {
    const which = fake.join(', ');
    if (needsMail) {
      out.push(
        finding(
          'SMTP_FAKE_DEFAULTS',
          `${which} ${fake.length === 1 ? 'is' : 'are'} .env.example's fake SMTP placeholder${fake.length === 1 ? '' : 's'} while ENABLE_EMAIL_AUTOCONFIRM is off: every email sign-up fails with "Error sending confirmation mail" (500).`,
          { variable: fake[0] as string, services },
        ),
      );
    } else {
      out.push(
        finding(
          'SMTP_FAKE_WITH_AUTOCONFIRM',
          `${which} ${fake.length === 1 ? 'is' : 'are'} .env.example's fake SMTP placeholder${fake.length === 1 ? '' : 's'}; sign-ups work (${autoconfirm ? 'autoconfirm is on' : 'email sign-up is off'}), but password recovery, invites, magic links and email changes cannot send mail.`,
          { variable: fake[0] as string, services },
        ),
      );
    }
  } else if (host === undefined && needsMail) {
    out.push(
      finding(
        'SMTP_NOT_CONFIGURED',
        'SMTP_HOST is empty while email sign-up is on and ENABLE_EMAIL_AUTOCONFIRM is off: confirmation mails cannot be sent, so sign-ups fail.',
        { variable: 'SMTP_HOST', services },
      ),
    );
  }
  if (
    host !== undefined &&
    fake.length === 0 &&
    /@example\.(com|org|net)$/i.test(ctx.env.SMTP_ADMIN_EMAIL ?? '')
  ) {
    out.push(
      finding(
        'SMTP_SENDER_PLACEHOLDER',
        `SMTP_ADMIN_EMAIL is ${ctx.env.SMTP_ADMIN_EMAIL}: real SMTP providers refuse to send as an example.* address.`,
        { variable: 'SMTP_ADMIN_EMAIL', services },
      ),
    );
  }
  return out;
};
