import type { DokployClient } from '@supaops/dokploy-client';
import type { HistoryStore } from '../safety/history.js';
import type { WizardEvent, WizardStepName } from './events.js';
import type { WizardAnswers } from './input.js';
import type { WizardState, WizardStateStore } from './state-store.js';

/** What the wizard needs besides the answers. */
export interface WizardDeps {
  /** A `DokployClient` of `@supaops/dokploy-client`. */
  client: DokployClient;
  /** Where each step's outcome is recorded, so a re-run resumes (`createWizardStateStore`). */
  state: WizardStateStore;
  /** Every Dokploy write is recorded here first (`createHistoryStore`). */
  history: HistoryStore;
  onEvent?: (event: WizardEvent) => void;
  signal?: AbortSignal;
  /** The fetch the post-deploy HTTP checks use (default the global fetch). */
  httpFetch?: typeof fetch;
  /**
   * Called in the deploy step once the compose exists, before its env is written and it is
   * deployed (cloneInstance copies the source's file mounts here). A resumed run calls it again,
   * so it must be idempotent.
   */
  onComposeReady?: (compose: { composeId: string; appName: string }) => Promise<void>;
}

type EventBody<T> = T extends { step: WizardStepName } ? Omit<T, 'step'> : never;

/** What a step sees. `data` is its own record so far (checkpoints of an interrupted run). */
export interface StepContext {
  readonly answers: WizardAnswers;
  readonly deps: WizardDeps;
  readonly state: WizardState;
  readonly data: Record<string, unknown>;
  /** A previous step's recorded data. */
  of<T = Record<string, unknown>>(step: WizardStepName): T;
  emit(event: EventBody<WizardEvent>): void;
  /** Merges `partial` into this step's data and saves the state before going on. */
  checkpoint(partial: Record<string, unknown>): Promise<void>;
}

/** A step: small, idempotent, resumable from its own checkpoints. Its result is secret-free. */
export interface WizardStep {
  readonly name: WizardStepName;
  run(ctx: StepContext): Promise<Record<string, unknown>>;
}
