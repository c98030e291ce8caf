import { type Check, type CheckContext, readersOf, runs, setValue } from './context.js';
import { type DoctorFinding, finding } from './finding.js';

const TOKENS = ['LOGFLARE_PUBLIC_ACCESS_TOKEN', 'LOGFLARE_PRIVATE_ACCESS_TOKEN'] as const;
const ANALYTICS_KEYS = [...TOKENS, 'DOCKER_SOCKET_LOCATION'];

/**
 * Whether analytics (Logflare and vector) is part of the stack: from the compose file when
 * known, else from the env having any of its keys (an env without them was made for a stack
 * without analytics, such as Dokploy's since templates#1068).
 */
function analyticsRuns(ctx: CheckContext): boolean | undefined {
  if (ctx.stackKnown) return runs(ctx, 'analytics', 'vector');
  return ANALYTICS_KEYS.some((name) => Object.hasOwn(ctx.env, name)) ? true : undefined;
}

/** Analytics enabled without its Logflare tokens, or vector without the Docker socket. */
export const checkAnalytics: Check = (ctx) => {
  const enabled = analyticsRuns(ctx);
  if (enabled === undefined) {
    ctx.skipped.push({
      check: 'analytics',
      reason: 'the env has no LOGFLARE_* or DOCKER_SOCKET_LOCATION and no compose file was given',
    });
    return [];
  }
  if (!enabled) return [];
  const out: DoctorFinding[] = [];
  const missing = TOKENS.filter((name) => setValue(ctx, name) === undefined);
  for (const name of missing) {
    out.push(
      finding(
        'ANALYTICS_TOKENS_MISSING',
        `${name} is ${ctx.env[name] === undefined ? 'not set' : 'empty'} while analytics runs: Logflare refuses to start without it, and Studio (and kong after it) waits for a healthy analytics.`,
        { variable: name, services: readersOf(ctx, name) },
      ),
    );
  }
  if (
    (!ctx.stackKnown || runs(ctx, 'vector')) &&
    setValue(ctx, 'DOCKER_SOCKET_LOCATION') === undefined
  ) {
    out.push(
      finding(
        'ANALYTICS_DOCKER_SOCKET_MISSING',
        `DOCKER_SOCKET_LOCATION is ${ctx.env.DOCKER_SOCKET_LOCATION === undefined ? 'not set' : 'empty'}: the vector container cannot mount the socket, and db waits for a healthy vector.`,
        { variable: 'DOCKER_SOCKET_LOCATION', services: readersOf(ctx, 'DOCKER_SOCKET_LOCATION') },
      ),
    );
  }
  return out;
};
