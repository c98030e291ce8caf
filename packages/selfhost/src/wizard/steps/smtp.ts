import type { WizardStep } from '../context.js';

/** 4. Auth mail: a real SMTP server, or the explicit development choice of autoconfirm. */
export const smtpStep: WizardStep = {
  name: 'smtp',
  async run(ctx) {
    const smtp = ctx.answers.smtp;
    if (smtp.mode === 'development-autoconfirm') {
      ctx.emit({
        type: 'warning',
        code: 'SMTP_DEVELOPMENT_AUTOCONFIRM',
        message:
          'Development choice: sign-ups are confirmed without a mail (ENABLE_EMAIL_AUTOCONFIRM=true); password recovery, invites and magic links cannot send mail. Configure SMTP before production.',
      });
      return { mode: smtp.mode };
    }
    return { mode: smtp.mode, host: smtp.host, port: smtp.port, adminEmail: smtp.adminEmail };
  },
};
