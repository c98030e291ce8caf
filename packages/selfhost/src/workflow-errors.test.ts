import { describe, expect, it } from 'vitest';
import { ERROR_CODES, SelfhostError } from './errors.js';
import {
  DeployCancelledError,
  DeployFailedError,
  DeploymentInvalidError,
  DokployUnsupportedError,
  HistoryWriteError,
  RepairStaleError,
  ReviewNotCleanError,
  WizardAbortedError,
  WizardStateError,
  WizardStepError,
} from './workflow-errors.js';

describe('workflow errors', () => {
  const all = [
    [WizardStepError, new WizardStepError('deploy', 'm')],
    [WizardAbortedError, new WizardAbortedError('deploy')],
    [WizardStateError, new WizardStateError('m')],
    [DokployUnsupportedError, new DokployUnsupportedError('v0.20.5', 'v0.21.0', 'why.')],
    [ReviewNotCleanError, new ReviewNotCleanError(['X'], 'X: y')],
    [DeployFailedError, new DeployFailedError('m', { deploymentId: 'd' })],
    [DeployCancelledError, new DeployCancelledError('d')],
    [DeploymentInvalidError, new DeploymentInvalidError('m', { ok: false })],
    [HistoryWriteError, new HistoryWriteError('/x')],
    [RepairStaleError, new RepairStaleError('c')],
  ] as const;

  it('carry the stable codes in order, each recognised only by its own class', () => {
    expect(all.map(([, e]) => e.code)).toEqual(Object.values(ERROR_CODES).slice(4, 14));
    for (const [cls, e] of all) {
      expect(SelfhostError.isInstance(e)).toBe(true);
      expect(cls.isInstance(e)).toBe(true);
      for (const [other, o] of all) if (other !== cls) expect(cls.isInstance(o)).toBe(false);
    }
  });

  it('say how to fix it and keep their details', () => {
    expect(new WizardAbortedError('deploy').message).toMatch(/resumes at "deploy"/);
    expect(new DokployUnsupportedError('v0.20.5', 'v0.21.0', 'why.').message).toMatch(
      /Fix: upgrade Dokploy/,
    );
    expect(new DeployCancelledError('d').message).toMatch(/Dokploy restart/);
    expect(new RepairStaleError('c').message).toMatch(/run planRepair again/);
    const f = new DeployFailedError('m', {});
    expect([f.logTail, f.services, f.deploymentId]).toEqual([[], [], undefined]);
    expect(new ReviewNotCleanError(['A'], 'A: b').codes).toEqual(['A']);
  });
});
