import { diagnoseKeys, SERVICES_BY_VARIABLE } from '@supaops/supabase-jwt';
import { type Check, readersOf } from './context.js';
import type { DoctorFinding } from './finding.js';

/**
 * Every key problem `@supaops/supabase-jwt` finds (demo, identical, role-less, wrongly signed,
 * expiring keys, JWT_KEYS without JWT_JWKS, …), with its code, severity and fix kept. The
 * values are the parsed ones, exactly what the services receive (`source: 'env'`).
 */
export const checkKeys: Check = (ctx) => {
  const { findings } = diagnoseKeys(ctx.env, { now: ctx.now, source: 'env' });
  return findings.map((f): DoctorFinding => {
    const readers = readersOf(ctx, f.variable);
    const services = readers.length > 0 ? readers : (SERVICES_BY_VARIABLE[f.variable] ?? []);
    return {
      code: f.code,
      severity: f.severity,
      variable: f.variable,
      message: f.message,
      fix: f.fix,
      ...(services.length > 0 ? { services: [...services] } : {}),
    };
  });
};
