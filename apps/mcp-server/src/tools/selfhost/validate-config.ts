import { z } from 'zod';
import { selfhost } from '../../libs.js';
import { defineTool } from '../../registry/types.js';
import { looseRecord, READ } from '../common.js';
import { readEnvSource, redactEnvSecrets } from '../env-source.js';
import { keySourceShape } from '../keys/key-env.js';
import { dokployTarget } from './dokploy.js';

type Finding = { severity: string; code: string; variable?: string; message: string; fix: string };

export default defineTool({
  name: 'dokploy_validate_config',
  title: 'Validate config (doctor)',
  description:
    "The config doctor on a self-hosted Supabase env (text or file, offline) or the instance's Dokploy compose (online).",
  group: 'selfhost',
  annotations: { ...READ, idempotentHint: false },
  write: false,
  input: z.object(keySourceShape),
  output: z.object({
    source: z.string(),
    mode: z.string(),
    exitCode: z.number(),
    summary: z.record(z.string(), z.number()),
    findings: z.array(looseRecord),
    skipped: z.array(looseRecord),
    target: looseRecord.optional(),
  }),
  async handler(args, ctx) {
    const sh = await selfhost();
    let source: string;
    let result: Awaited<ReturnType<typeof sh.validateConfig>>;
    if (args.env !== undefined || args.file !== undefined) {
      const read = await readEnvSource(args, ctx);
      await redactEnvSecrets(read.text, ctx);
      source = read.source;
      result = sh.validateEnv(read.text);
    } else {
      const { instance, client, composeId } = await dokployTarget(
        args.instance,
        ctx,
        'pass env or file for the offline check instead',
      );
      const url = instance.database.session ?? instance.database.transaction;
      source = `instance ${instance.name} (Dokploy compose ${composeId})`;
      result = await sh.validateConfig({
        dokploy: client,
        composeId,
        // the pool size against the real max_connections, when the database resolved
        ...(url ? { database: await ctx.pool(instance) } : {}),
      });
    }
    const findings = result.findings as readonly Finding[];
    const lines = findings.map(
      (f) =>
        `${f.severity} ${f.code}${f.variable ? ` ${f.variable}` : ''}: ${f.message} Fix: ${f.fix}`,
    );
    const { errors, warnings, infos } = result.summary;
    return {
      structured: {
        source,
        mode: result.mode,
        exitCode: result.exitCode,
        summary: { ...result.summary },
        findings: findings.map((f) => ({ ...f })),
        skipped: result.skipped.map((s) => ({ ...s })),
        ...(result.target ? { target: { ...result.target } } : {}),
      },
      text: `${source}: ${errors} error(s), ${warnings} warning(s), ${infos} info(s).\n${lines.join('\n')}`,
    };
  },
});
