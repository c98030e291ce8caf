/** The wizard's steps, in order. */
export const WIZARD_STEPS = [
  'connect',
  'project',
  'secrets',
  'smtp',
  'domain',
  'review',
  'deploy',
  'validate',
  'summary',
] as const;

export type WizardStepName = (typeof WIZARD_STEPS)[number];

/** What the wizard tells its caller while it runs. No event ever holds a secret. */
export type WizardEvent =
  | { type: 'step-start'; step: WizardStepName; index: number; total: number; resumed: boolean }
  | {
      type: 'step-end';
      step: WizardStepName;
      status: 'done' | 'skipped' | 'failed';
      /** What the step decided (ids, host, diff…), JSON-safe and secret-free. */
      detail?: unknown;
      error?: { code: string; message: string };
    }
  | { type: 'progress'; step: WizardStepName; message: string; phase?: string; elapsedMs?: number }
  | { type: 'warning'; step: WizardStepName; code: string; message: string };
