import { checkConstraint } from '../env/schema/constraints.js';
import { ENV_VARIABLES } from '../env/schema/table.js';
import { type Check, readersOf, setValue } from './context.js';
import { type DoctorFinding, finding } from './finding.js';

/** Reported by other families when missing: the keys check and the analytics check. */
const OWNED_ELSEWHERE = new Set(['JWT_SECRET', 'ANON_KEY', 'SERVICE_ROLE_KEY']);

/**
 * Required variables of the services in the stack that are missing or empty, and values that
 * break their variable's constraint (ports, integers, booleans, emails, hosts, paths, lists;
 * URLs, secrets and keys have their own checks).
 */
export const checkRequired: Check = (ctx) => {
  const out: DoctorFinding[] = [];
  for (const [name, spec] of Object.entries(ENV_VARIABLES)) {
    const services = readersOf(ctx, name);
    const value = setValue(ctx, name);
    if (value === undefined) {
      if (
        spec.required &&
        services.length > 0 &&
        spec.group !== 'analytics' &&
        !OWNED_ELSEWHERE.has(name)
      ) {
        const state = ctx.env[name] === undefined ? 'is not set' : 'is empty';
        out.push(
          finding(
            'REQUIRED_VARIABLE_MISSING',
            `${name} ${state}; ${services.join(', ')} read${services.length === 1 ? 's' : ''} it (${spec.description})`,
            { variable: name, services },
          ),
        );
      }
      continue;
    }
    if (spec.secret || spec.constraint.kind === 'url' || spec.constraint.kind === 'url-list')
      continue;
    const problem = checkConstraint(spec, value);
    if (problem) {
      out.push(
        finding('ENV_VALUE_INVALID', `${name} ${problem} (needs ${spec.constraint.rule}).`, {
          variable: name,
          services,
        }),
      );
    }
  }
  return out;
};
