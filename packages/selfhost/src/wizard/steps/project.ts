import { validateEnv } from '../../doctor/validate-config.js';
import { ReviewNotCleanError } from '../../workflow-errors.js';
import type { StepContext, WizardStep } from '../context.js';

const NAME_CODES = /^(PROJECT_|APP_NAME|GENERATED_DOMAIN)/;

function checkNames(ctx: StepContext, version: string): void {
  const { projectName, composeName } = ctx.answers;
  const result = validateEnv('', { projectName, appName: composeName, dokployVersion: version });
  const names = result.findings.filter((f) => NAME_CODES.test(f.code));
  for (const f of names.filter((n) => n.severity !== 'error'))
    ctx.emit({ type: 'warning', code: f.code, message: f.message });
  const errors = names.filter((f) => f.severity === 'error');
  if (errors.length > 0)
    throw new ReviewNotCleanError(
      errors.map((f) => f.code),
      errors.map((f) => `${f.code}: ${f.message}`).join('; '),
    );
}

/** 2. The project (and, on v0.25.0+, the environment): reused by name, else created. */
export const projectStep: WizardStep = {
  name: 'project',
  async run(ctx) {
    const { client, history, signal } = ctx.deps;
    const call = signal ? { signal } : {};
    const { version, environments } = ctx.of<{ version: string; environments: boolean }>('connect');
    checkNames(ctx, version);
    const name = ctx.answers.projectName;
    let project = (await client.project.all(call)).find((p) => p.name === name);
    let created = false;
    if (!project) {
      await history.record({ kind: 'project.create', actor: 'wizard', after: { name } });
      project = (await client.project.create({ name }, call)).project;
      created = true;
    }
    const projectId = project.projectId;
    await ctx.checkpoint({ projectId });
    if (!environments) return { projectId, environmentId: null, created };
    const list = await client.environment.byProjectId({ projectId }, call);
    const wanted = ctx.answers.environmentName;
    let env = wanted
      ? list.find((e) => e.name === wanted)
      : (list.find((e) => e.isDefault) ?? list.find((e) => e.name === 'production') ?? list[0]);
    if (!env && wanted) {
      await history.record({
        kind: 'environment.create',
        actor: 'wizard',
        after: { name: wanted, projectId },
      });
      env = await client.environment.create({ name: wanted, projectId }, call);
    }
    return { projectId, environmentId: env?.environmentId ?? null, created };
  },
};
