import type { OptionDef } from '../../command.js';
import { parseInteger } from '../shared.js';

/** The mail answer of `deploy` (and `clone`'s override of the source's settings). */
export const SMTP_OPTIONS: OptionDef[] = [
  { flags: '--smtp-host <host>', description: 'SMTP server for sign-up and recovery mails' },
  { flags: '--smtp-port <port>', description: 'SMTP port', parse: parseInteger(1) },
  { flags: '--smtp-user <user>', description: 'SMTP user' },
  { flags: '--smtp-pass-env <name>', description: 'environment variable with the SMTP password' },
  { flags: '--smtp-admin-email <address>', description: 'the sender address' },
  { flags: '--smtp-sender-name <name>', description: 'the sender name' },
  {
    flags: '--dev-autoconfirm',
    description: 'no SMTP: confirm sign-ups without mail (development only)',
  },
];

/** Where the generated secrets go: a 0600 file, or printed once. */
export const SECRETS_OPTIONS: OptionDef[] = [
  {
    flags: '--secrets-file <path>',
    description: 'write the generated secrets to this file (mode 0600)',
    complete: 'file',
  },
  { flags: '--print-secrets', description: 'print the generated secrets once, here' },
];
