import { formatDeploymentReport, validateDeployment } from '../../validate/validate-deployment.js';
import { DeploymentInvalidError } from '../../workflow-errors.js';
import type { WizardStep } from '../context.js';

/** 8. Post-deploy validation against the public URL, with the keys the wizard deployed. */
export const validateStep: WizardStep = {
  name: 'validate',
  async run(ctx) {
    const { host } = ctx.of<{ host: string }>('domain');
    const { composeId } = ctx.of<{ composeId: string }>('deploy');
    const secrets = ctx.state.secrets ?? {};
    ctx.emit({ type: 'progress', message: `checking https://${host}`, phase: 'validate' });
    const report = await validateDeployment({
      publicUrl: `https://${host}`,
      anonKey: secrets.ANON_KEY ?? '',
      serviceKey: secrets.SERVICE_ROLE_KEY ?? '',
      client: ctx.deps.client,
      composeId,
      attempts: ctx.answers.validateAttempts,
      retryMs: ctx.answers.validateRetryMs,
      ...(ctx.deps.httpFetch ? { fetch: ctx.deps.httpFetch } : {}),
      ...(ctx.deps.signal ? { signal: ctx.deps.signal } : {}),
    });
    if (!report.ok) {
      throw new DeploymentInvalidError(
        `The deployment answers, but the post-deploy checks failed:\n${formatDeploymentReport(report)}\nFix: read the logs in the report, correct the env (repair with planRepair/applyRepair), then run the wizard again.`,
        report,
      );
    }
    return { report };
  },
};
