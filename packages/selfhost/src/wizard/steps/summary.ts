import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { redactSecret } from '@supaops/supabase-jwt';
import { serializeEnvRecord } from '../../env/serialize.js';
import type { WizardStep } from '../context.js';

/** The Supavisor connection strings; the user is `postgres.<tenant>` (Supavisor refuses `postgres`). */
export function poolerConnectionStrings(input: {
  host: string;
  tenantId: string;
  password: string;
  database?: string;
  transactionPort?: string;
}): { session: string; transaction: string } {
  const user = `postgres.${input.tenantId}`;
  const db = input.database ?? 'postgres';
  const pw = encodeURIComponent(input.password);
  return {
    session: `postgresql://${user}:${pw}@${input.host}:5432/${db}`,
    transaction: `postgresql://${user}:${pw}@${input.host}:${input.transactionPort ?? '6543'}/${db}`,
  };
}

/**
 * 9. The summary: URLs, the anon key, the pooler strings. The secrets go only where the user
 * asked (a 0600 file, or the result once for printing); the state file then forgets them.
 */
export const summaryStep: WizardStep = {
  name: 'summary',
  async run(ctx) {
    const { host } = ctx.of<{ host: string }>('domain');
    const secrets = ctx.state.secrets ?? {};
    const password = secrets.POSTGRES_PASSWORD ?? '';
    const strings = poolerConnectionStrings({
      host,
      tenantId: secrets.POOLER_TENANT_ID ?? '',
      password,
    });
    const mask = (s: string) => s.replace(`:${encodeURIComponent(password)}@`, ':***@');
    const output = ctx.answers.secretsOutput;
    const delivered = {
      ...secrets,
      POOLER_SESSION_URL: strings.session,
      POOLER_TRANSACTION_URL: strings.transaction,
    };
    if (output.mode === 'file') {
      await mkdir(dirname(output.path), { recursive: true, mode: 0o700 });
      await writeFile(output.path, serializeEnvRecord(delivered), { mode: 0o600 });
      await chmod(output.path, 0o600);
    }
    return {
      publicUrl: `https://${host}`,
      studioUrl: `https://${host}`,
      anonKey: secrets.ANON_KEY ?? '',
      serviceKey: redactSecret(secrets.SERVICE_ROLE_KEY ?? ''),
      connectionStrings: { session: mask(strings.session), transaction: mask(strings.transaction) },
      secrets: output.mode === 'file' ? { mode: 'file', path: output.path } : { mode: 'print' },
      notes: [
        "Dokploy's Supabase compose only exposes Supavisor's 5432 and 6543 inside the Docker network: publish them (or open a tunnel) before using the pooler strings from outside.",
      ],
      // handed to the runner once, never stored: see runSetupWizard
      deliver: output.mode === 'print' ? delivered : undefined,
    };
  },
};
