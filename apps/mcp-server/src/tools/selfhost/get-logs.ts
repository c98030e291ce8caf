import { z } from 'zod';
import { selfhost } from '../../libs.js';
import { defineTool } from '../../registry/types.js';
import { instanceArg, looseRecord, READ } from '../common.js';
import { redactEnvSecrets } from '../env-source.js';
import { dokployTarget } from './dokploy.js';

export default defineTool({
  name: 'dokploy_get_logs',
  title: 'Get logs',
  description: 'Log lines of the Dokploy compose (service: a,b; since: 10m; grep: text).',
  group: 'selfhost',
  annotations: { ...READ, idempotentHint: false },
  write: false,
  input: z.object({
    instance: instanceArg,
    service: z.string().max(500).optional(),
    since: z.string().max(20).optional(),
    tail: z.number().int().min(1).max(10_000).optional(),
    grep: z.string().max(500).optional(),
  }),
  output: z.object({ lines: z.string(), sources: z.array(looseRecord) }),
  async handler(args, ctx) {
    const [sh, target] = await Promise.all([selfhost(), dokployTarget(args.instance, ctx)]);
    const { client, composeId } = target;
    const compose = await client.compose.one({ composeId }, { signal: ctx.signal });
    // selfhost masks the env's secrets in the lines already; the redactor is the second fence
    await redactEnvSecrets(compose.env ?? '', ctx);
    const services = args.service
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const logs = await sh.readComposeLogs({
      client,
      composeId,
      ...(services?.length ? { services } : {}),
      // a duration (10m) as selfhost takes it, else a time (ISO 8601)
      ...(args.since
        ? { since: /^\d+[smhd]$/.test(args.since) ? args.since : new Date(args.since) }
        : {}),
      ...(args.tail ? { tail: args.tail } : {}),
      ...(args.grep ? { search: args.grep } : {}),
      signal: ctx.signal,
    });
    // as JSON (one string a line), so a `<` of a forged closing boundary is written \u003c
    const lines = logs.lines.map((l) => `${l.timestamp ?? '-'} ${l.service} ${l.text}`);
    const wrapped = ctx.untrusted(`the logs of compose ${composeId}`, lines);
    const sources = logs.sources.map((s) => ({ ...s }));
    const notes = sources.filter((s) => s.unavailable).map((s) => `${s.service}: ${s.unavailable}`);
    return {
      structured: { lines: wrapped, sources },
      text: `${logs.lines.length} line(s) of compose ${composeId}.${notes.length ? `\n${notes.join('\n')}` : ''}\n${wrapped}`,
    };
  },
});
