import { z } from 'zod';
import { SELF_HOSTED_PROJECT_REF } from './constants.js';
import {
  analyzeAsymmetricKey,
  checkKeySet,
  octKidsOf,
  readKeySet,
  reportKeySetProblems,
} from './diagnose-key-set.js';
import { analyzeLegacyKey, checkPair } from './diagnose-legacy.js';
import { analyzeOpaqueKeys } from './diagnose-opaque.js';
import { analyzeSecret, type EnvSource, reportVerbatimSecret } from './diagnose-secret.js';
import { Collector, type KeyEnv } from './diagnose-support.js';
import { parseEnvInput } from './env-input.js';
import type { Finding, Severity } from './finding-codes.js';
import { lazy } from './lazy.js';
import { type NowInput, nowSchema, toUnixSeconds } from './time.js';
import { parseInput } from './validation.js';

export type { EnvSource } from './diagnose-secret.js';
export type { KeyEnv } from './diagnose-support.js';

export interface DiagnoseOptions {
  /** The instant to judge exp/iat against (Date or epoch ms); default now. */
  now?: NowInput;
  /** Project ref of the sb_ key checksum; default `supabase-self-hosted`. */
  projectRef?: string;
  /**
   * Where the values come from. `'env'` (default): parsed values, exactly what the services
   * receive (`process.env`, a container's environment, a parsed compose environment), used
   * verbatim. `'dotenv'`: raw right-hand sides of `.env` lines (Dokploy's env text split at
   * `=`), which docker compose trims and unquotes before the services see them.
   */
  source?: EnvSource;
}

export interface Diagnosis {
  /** Errors first, then warnings, then info. */
  findings: Finding[];
  /** True when there is no finding of severity `error`. */
  ok: boolean;
  counts: Record<Severity, number>;
}

const optionsSchema = lazy(() =>
  z
    .object({
      now: nowSchema(),
      projectRef: z.string().min(1).max(200).optional(),
      source: z.enum(['env', 'dotenv']).optional(),
    })
    .strict()
    .optional(),
);

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Judges the key set of an env at `now`: JWT_SECRET, ANON_KEY, SERVICE_ROLE_KEY and, when
 * present, JWT_KEYS, JWT_JWKS, ANON_KEY_ASYMMETRIC, SERVICE_ROLE_KEY_ASYMMETRIC,
 * SUPABASE_PUBLISHABLE_KEY, SUPABASE_SECRET_KEY. Any string content gives findings; only a
 * non-object env or non-string values throw (InvalidInputError).
 */
export function diagnoseKeys(env: KeyEnv, options?: DiagnoseOptions): Diagnosis {
  const values = parseEnvInput(
    'diagnoseKeys',
    env,
    'pass an object of env variable names to string values (undefined/null for unset)',
  );
  // no options is the common call, and the optional schema returns undefined for it
  const parsedOptions =
    options === undefined ? undefined : parseInput('diagnoseKeys', optionsSchema(), options);
  const now = toUnixSeconds(parsedOptions?.now);
  const out = new Collector();
  const material = readKeySet(values);
  const view = analyzeSecret(out, values.JWT_SECRET, parsedOptions?.source ?? 'env');
  const secret = view?.secret;
  const legacy = {
    secret,
    ...(view?.alternative === undefined ? {} : { alternative: view.alternative }),
    octKids: octKidsOf(material),
    now,
  };
  const anon = analyzeLegacyKey(out, 'ANON_KEY', values.ANON_KEY, legacy);
  const service = analyzeLegacyKey(out, 'SERVICE_ROLE_KEY', values.SERVICE_ROLE_KEY, legacy);
  reportVerbatimSecret(out, view, [anon, service]);
  checkPair(out, ['ANON_KEY', 'SERVICE_ROLE_KEY'], anon, service);
  reportKeySetProblems(out, material);
  checkKeySet(out, material, secret);
  const anonAsym = analyzeAsymmetricKey(
    out,
    'ANON_KEY_ASYMMETRIC',
    values.ANON_KEY_ASYMMETRIC,
    material,
    now,
  );
  const serviceAsym = analyzeAsymmetricKey(
    out,
    'SERVICE_ROLE_KEY_ASYMMETRIC',
    values.SERVICE_ROLE_KEY_ASYMMETRIC,
    material,
    now,
  );
  if (anonAsym || serviceAsym) {
    checkPair(out, ['ANON_KEY_ASYMMETRIC', 'SERVICE_ROLE_KEY_ASYMMETRIC'], anonAsym, serviceAsym);
  }
  analyzeOpaqueKeys(out, values, parsedOptions?.projectRef ?? SELF_HOSTED_PROJECT_REF);
  const findings = out.findings
    .map((item, index) => ({ item, index }))
    .sort(
      (a, b) =>
        SEVERITY_RANK[a.item.severity] - SEVERITY_RANK[b.item.severity] || a.index - b.index,
    )
    .map(({ item }) => item);
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const item of findings) counts[item.severity] += 1;
  return { findings, ok: counts.error === 0, counts };
}
