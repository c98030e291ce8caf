import { validateEnv } from '../../doctor/validate-config.js';
import { diffEnv, formatEnvDiff } from '../../env/diff.js';
import { ReviewNotCleanError } from '../../workflow-errors.js';
import { BUNDLED_COMPOSE_FILE } from '../bundled-template.js';
import type { StepContext, WizardStep } from '../context.js';
import { buildEnvText, templateEnvLines, templateEnvText, wizardValues } from '../env-build.js';

/** The env the wizard deploys, from the answers and the state's secrets (recomputed, never stored). */
export function plannedEnv(ctx: StepContext): { text: string; values: Record<string, string> } {
  const { host } = ctx.of<{ host: string }>('domain');
  const source = ctx.answers.compose;
  // an own file gets the template's defaults too, under the user's values and ours
  const values = {
    ...(source.source === 'own' ? (source.env ?? {}) : {}),
    ...wizardValues(ctx.answers, ctx.state.secrets ?? {}, host),
  };
  const { text, unfilled } = buildEnvText(templateEnvLines(), values);
  if (unfilled.length > 0) {
    // a template helper the wizard does not know: deploying would leave it to Dokploy
    throw new ReviewNotCleanError(
      ['TEMPLATE_VALUE_UNFILLED'],
      `the template sets ${unfilled.join(', ')} with a Dokploy helper the wizard does not fill`,
    );
  }
  return { text, values };
}

export function composeFileOf(ctx: StepContext): string {
  return ctx.answers.compose.source === 'own'
    ? ctx.answers.compose.composeFile
    : BUNDLED_COMPOSE_FILE;
}

/** Runs the doctor on env text as it will be deployed; errors throw, warnings are emitted. */
export function assertDoctorClean(ctx: StepContext, text: string, host: string) {
  const { version } = ctx.of<{ version: string }>('connect');
  const report = validateEnv(text, {
    domain: { host, https: true, serviceName: 'kong', certificateType: 'letsencrypt' },
    composeFile: composeFileOf(ctx),
    projectName: ctx.answers.projectName,
    dokployVersion: version,
  });
  const errors = report.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) {
    throw new ReviewNotCleanError(
      errors.map((f) => f.code),
      errors.map((f) => `${f.code} ${f.variable ?? ''}: ${f.message}`).join('; '),
    );
  }
  return report;
}

/** 6. Review: the full env diff against the template, and the doctor must have no error. */
export const reviewStep: WizardStep = {
  name: 'review',
  async run(ctx) {
    const { host } = ctx.of<{ host: string }>('domain');
    const { text } = plannedEnv(ctx);
    const report = assertDoctorClean(ctx, text, host);
    for (const f of report.findings.filter((x) => x.severity === 'warning'))
      ctx.emit({ type: 'warning', code: f.code, message: f.message });
    const diff = diffEnv(templateEnvText(), text);
    return {
      diff: formatEnvDiff(diff).split('\n'),
      summary: diff.summary,
      warnings: report.findings.filter((f) => f.severity !== 'error').map((f) => f.code),
    };
  },
};
