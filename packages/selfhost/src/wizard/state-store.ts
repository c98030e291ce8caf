import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { parseInput } from '../errors.js';
import { WizardStateError } from '../workflow-errors.js';
import type { WizardStepName } from './events.js';

/** One step's recorded outcome. `data` is what later steps and re-runs read. */
export interface StepRecord {
  status: 'done' | 'failed' | 'running';
  at: string;
  data?: Record<string, unknown>;
  error?: { code: string; message: string };
}

/**
 * What a re-run resumes from. `secrets` holds the generated values from the secrets step until
 * the summary has delivered them; the file is mode 0600 for that reason.
 */
export interface WizardState {
  version: 1;
  projectName: string;
  steps: Partial<Record<WizardStepName, StepRecord>>;
  secrets?: Record<string, string>;
}

export interface WizardStateStore {
  load(): Promise<WizardState | undefined>;
  save(state: WizardState): Promise<void>;
}

const stateSchema = z.object({
  version: z.literal(1),
  projectName: z.string(),
  steps: z.record(z.string(), z.unknown()),
  secrets: z.record(z.string(), z.string()).optional(),
});

/** A JSON file (mode 0600, written atomically) at an injected path. */
export function createWizardStateStore(path: string): WizardStateStore {
  const file = parseInput('createWizardStateStore', z.string().min(1), path);
  let queue: Promise<unknown> = Promise.resolve();
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new WizardStateError(
          `The wizard state file ${file} could not be read: ${(error as Error).message}. Fix: check its permissions, or pass another state path to start over.`,
          { cause: error },
        );
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (cause) {
        throw new WizardStateError(
          `The wizard state file ${file} is not JSON. Fix: delete it to start over (the Dokploy project is reused), or restore it.`,
          { cause },
        );
      }
      const result = stateSchema.safeParse(parsed);
      if (!result.success) {
        throw new WizardStateError(
          `The wizard state file ${file} is not a state this wizard wrote. Fix: delete it to start over (the Dokploy project is reused), or pass another path.`,
          { cause: result.error },
        );
      }
      return result.data as WizardState;
    },
    save(state) {
      // snapshot now, write in call order: a later save never loses to an earlier one
      const text = `${JSON.stringify(state, null, 2)}\n`;
      const write = async () => {
        await mkdir(dirname(file), { recursive: true, mode: 0o700 });
        const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
        await writeFile(tmp, text, { mode: 0o600 });
        await chmod(tmp, 0o600);
        await rename(tmp, file);
      };
      const next = queue.then(write, write);
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
