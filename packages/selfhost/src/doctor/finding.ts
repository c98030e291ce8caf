import { FINDING_CODES as KEY_CODES } from '@supaops/supabase-jwt';
import { OWN_CODES } from './own-codes.js';

export type DoctorSeverity = 'error' | 'warning' | 'info';

export interface DoctorCodeInfo {
  readonly severity: DoctorSeverity;
  /** What the finding means, in a few words. */
  readonly title: string;
  /** The default fix. */
  readonly fix: string;
}

type KeyCode = keyof typeof KEY_CODES;
export type DoctorFindingCode = keyof typeof OWN_CODES | KeyCode;

function keyCodes(): Record<KeyCode, DoctorCodeInfo> {
  const out = {} as Record<KeyCode, DoctorCodeInfo>;
  for (const [code, info] of Object.entries(KEY_CODES) as [KeyCode, (typeof KEY_CODES)[KeyCode]][])
    out[code] = { severity: info.severity, title: info.meaning, fix: info.fix };
  return out;
}

/**
 * Every code the doctor can report: its own and the key codes of `@supaops/supabase-jwt`
 * (kept as they are). Stable: codes are added, never renamed or reused.
 */
export const DOCTOR_FINDING_CODES: Readonly<Record<DoctorFindingCode, DoctorCodeInfo>> =
  Object.freeze({ ...keyCodes(), ...OWN_CODES });

export const ALL_DOCTOR_CODES = Object.keys(DOCTOR_FINDING_CODES) as DoctorFindingCode[];

/** One problem. `message` and `fix` never contain a secret (at most its first/last 4 characters). */
export interface DoctorFinding {
  readonly code: DoctorFindingCode;
  readonly severity: DoctorSeverity;
  readonly variable?: string;
  readonly message: string;
  readonly fix: string;
  /** Compose services affected (those that read the variable). */
  readonly services?: readonly string[];
}

export interface DoctorSkip {
  /** The check family that did not run (`pooler`, `analytics`, …). */
  readonly check: string;
  readonly reason: string;
}

/** What `validateConfig`/`validateEnv` return; JSON-serializable, printed as is by `doctor --json`. */
export interface DoctorResult {
  readonly mode: 'offline' | 'online';
  /** Errors first, then warnings, then infos; by code and variable within a severity. */
  readonly findings: DoctorFinding[];
  readonly summary: { readonly errors: number; readonly warnings: number; readonly infos: number };
  /** 1 when there is any error, else 0. */
  readonly exitCode: 0 | 1;
  /** Checks that could not run and why (no database, analytics unknown, …). */
  readonly skipped: DoctorSkip[];
  /** The Dokploy compose checked (online mode). */
  readonly target?: {
    readonly composeId: string;
    readonly appName?: string;
    readonly dokployVersion?: string;
  };
}

export function finding(
  code: DoctorFindingCode,
  message: string,
  extra: { variable?: string; services?: readonly string[]; fix?: string } = {},
): DoctorFinding {
  const info = DOCTOR_FINDING_CODES[code];
  return {
    code,
    severity: info.severity,
    ...(extra.variable === undefined ? {} : { variable: extra.variable }),
    message,
    fix: extra.fix ?? info.fix,
    ...(extra.services === undefined || extra.services.length === 0
      ? {}
      : { services: [...extra.services] }),
  };
}

const RANK: Record<DoctorSeverity, number> = { error: 0, warning: 1, info: 2 };

/** Sorts, counts and wraps findings into a result. */
export function buildResult(
  mode: DoctorResult['mode'],
  findings: DoctorFinding[],
  skipped: DoctorSkip[],
  target?: DoctorResult['target'],
): DoctorResult {
  const sorted = [...findings].sort(
    (a, b) =>
      RANK[a.severity] - RANK[b.severity] ||
      a.code.localeCompare(b.code) ||
      (a.variable ?? '').localeCompare(b.variable ?? ''),
  );
  const summary = { errors: 0, warnings: 0, infos: 0 };
  for (const f of sorted) {
    if (f.severity === 'error') summary.errors++;
    else if (f.severity === 'warning') summary.warnings++;
    else summary.infos++;
  }
  return {
    mode,
    findings: sorted,
    summary,
    exitCode: summary.errors > 0 ? 1 : 0,
    skipped,
    ...(target === undefined ? {} : { target }),
  };
}
