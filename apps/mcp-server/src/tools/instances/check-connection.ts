import { z } from 'zod';
import { pgConnect } from '../../libs.js';
import { defineTool } from '../../registry/types.js';
import { instanceArg, looseRecord, READ } from '../common.js';

export default defineTool({
  name: 'check_connection',
  title: 'Check connection',
  description:
    'Diagnoses the connection string (pooler mode, TLS, tenant), DNS and container network, then connects; says how to fix failures.',
  group: 'instances',
  annotations: { ...READ, idempotentHint: false },
  write: false,
  input: z.object({
    instance: instanceArg,
    purpose: z.enum(['query', 'migrations', 'ddl', 'backup']).optional(),
  }),
  output: z.object({
    instance: z.string(),
    target: z.string(),
    mode: z.string(),
    connected: z.boolean(),
    server: z.object({ version: z.string(), user: z.string() }).optional(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    diagnostics: z.array(looseRecord),
    network: looseRecord,
  }),
  async handler(args, ctx) {
    const instance = await ctx.instance(args.instance, ['database']);
    const pool = await ctx.pool(instance);
    const pg = await pgConnect();
    const target = pool.target;
    const diagnostics = pg.diagnoseTarget(target, { purpose: args.purpose ?? 'query' });
    const network = await pg.checkNetwork(target);
    const base = {
      instance: instance.name,
      target: pg.redactTarget(target),
      mode: target.mode,
      diagnostics: diagnostics as unknown as Record<string, unknown>[],
      network: network as unknown as Record<string, unknown>,
    };
    try {
      const res = await pg.executeSql<{ version: string; user: string }>(
        pool,
        "SELECT current_setting('server_version') AS version, current_user AS user",
        { timeoutMs: 10_000, signal: ctx.signal },
      );
      return { structured: { ...base, connected: true, server: res.rows[0]! } };
    } catch (error) {
      const e = error as { code?: string; message?: string };
      return {
        structured: {
          ...base,
          connected: false,
          error: { code: e.code ?? 'CONNECTION_FAILED', message: e.message ?? String(error) },
        },
      };
    }
  },
});
