import { redact } from './errors.js';
import type { GatewayEnv, JwksService } from './gateway-env.js';
import type { KongProfile } from './kong-profile.js';
import { restSecret } from './postgrest.js';

export type Consumer = 'anon' | 'service_role';

/** A service that would not come up with this env, and the log line that says why. */
export interface GatewayProblem {
  service: 'kong' | 'auth' | 'rest' | 'storage';
  message: string;
}

export interface BootState {
  /** apikey → consumer, as Kong's DB-less config holds the keyauth_credentials. */
  credentials: Map<string, Consumer> | undefined;
  /** Services that fail at start: Kong answers for them as for a stopped container. */
  down: Set<'auth' | 'rest' | 'storage'>;
  problems: GatewayProblem[];
}

/** What comes up and what does not, from the env alone, as the containers decide at start. */
export function bootState(
  env: GatewayEnv,
  profile: KongProfile,
  jwksServices: ReadonlySet<JwksService>,
): BootState {
  const problems: GatewayProblem[] = [];
  const declared: [string, Consumer][] = [
    [env.anonKey, 'anon'],
    ...(profile.opaqueKeys ? [[env.publishableKey, 'anon'] as [string, Consumer]] : []),
    [env.serviceKey, 'service_role'],
    ...(profile.opaqueKeys ? [[env.secretKey, 'service_role'] as [string, Consumer]] : []),
  ];
  // kong-entrypoint.sh deletes `- key:` lines left empty by an unset variable
  const keys = declared.filter(([key]) => key !== '');
  let credentials: Map<string, Consumer> | undefined = new Map();
  for (const [key, consumer] of keys) {
    if (credentials.has(key) && profile.uniqueCredentialKeys) {
      problems.push({
        service: 'kong',
        message:
          `error parsing declarative config file: in 'keyauth_credentials': uniqueness violation: ` +
          `'keyauth_credentials' entity with key set to '${redact(key)}' already declared`,
      });
      credentials = undefined;
      break;
    }
    // Kong 2.8 derives the credential id from the key: the later declaration replaces the first
    credentials.set(key, consumer);
  }

  const down = new Set<'auth' | 'rest' | 'storage'>();
  if (!env.jwtKeys.ok) {
    down.add('auth');
    problems.push({
      service: 'auth',
      message: `GOTRUE_JWT_KEYS (JWT_KEYS) is ${env.jwtKeys.reason}`,
    });
  }
  if (restSecret({ env, jwksServices }).kind === 'too-short') {
    down.add('rest');
    problems.push({
      service: 'rest',
      message: 'The JWT secret must be at least 32 characters long.',
    });
  }
  if (jwksServices.has('storage') && env.jwtJwks && !env.jwtJwks.ok) {
    down.add('storage');
    problems.push({ service: 'storage', message: `JWT_JWKS is ${env.jwtJwks.reason}` });
  }
  return { credentials, down, problems };
}
