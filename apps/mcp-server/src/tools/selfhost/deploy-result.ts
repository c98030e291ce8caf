import type { DeploymentReport } from '@supaops/selfhost';
import type { ToolContext } from '../../registry/types.js';
import { looseRecord } from '../common.js';

/** Listed as a plain object (tools/list bytes); results are checked against the full shape. */
export const validationSchema = looseRecord;

/** A deployment report for a result: the checks, and the failing services' logs as untrusted data. */
export function validationOf(report: DeploymentReport, ctx: ToolContext) {
  return {
    ok: report.ok,
    checks: report.checks.map((c) => ({
      name: c.name,
      ok: c.ok,
      ...(c.ok ? {} : { reason: c.reason }),
    })),
    ...(report.logs.length
      ? { logs: ctx.untrusted('the logs of the failing services', report.logs) }
      : {}),
  };
}
