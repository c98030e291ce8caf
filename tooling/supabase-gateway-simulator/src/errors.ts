import type { z } from 'zod';

const MARKER = Symbol.for('supaops.supabase-gateway-simulator.error');

export type SupabaseGatewayErrorCode =
  | 'GATEWAY_OPTIONS_INVALID'
  | 'GATEWAY_ENV_INVALID'
  | 'GATEWAY_LISTEN_FAILED'
  | 'GATEWAY_STOPPED';

/** Base of every error this package throws; `isInstance` works across duplicate copies. */
export class SupabaseGatewayError extends Error {
  readonly [MARKER] = true;
  readonly code: SupabaseGatewayErrorCode;

  constructor(code: SupabaseGatewayErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'SupabaseGatewayError';
  }

  static isInstance(value: unknown): value is SupabaseGatewayError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }
}

/** The options of a public function failed validation. */
export class GatewayOptionsError extends SupabaseGatewayError {
  readonly issues: { path: string; message: string }[];

  constructor(fn: string, error: z.ZodError) {
    const issues = error.issues.map((issue) => ({
      path: issue.path.map(String).join('.') || '(root)',
      message: issue.message,
    }));
    super(
      'GATEWAY_OPTIONS_INVALID',
      `${fn}: invalid options: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}. ` +
        'Fix: pass { env } as a record of strings or .env text, host 127.0.0.1, a port from 0 to 65535.',
      { cause: error },
    );
    this.name = 'GatewayOptionsError';
    this.issues = issues;
  }

  static override isInstance(value: unknown): value is GatewayOptionsError {
    return SupabaseGatewayError.isInstance(value) && value.code === 'GATEWAY_OPTIONS_INVALID';
  }
}

/** The .env text does not parse the way docker compose parses it (compose would refuse it too). */
export class GatewayEnvError extends SupabaseGatewayError {
  readonly line: number;

  constructor(line: number, problem: string) {
    super(
      'GATEWAY_ENV_INVALID',
      `The env text does not parse at line ${line}: ${problem}. docker compose refuses such an .env file too. ` +
        'Fix: one KEY=value per line; close every quoted value; keys use letters, digits, _ . - only.',
    );
    this.name = 'GatewayEnvError';
    this.line = line;
  }

  static override isInstance(value: unknown): value is GatewayEnvError {
    return SupabaseGatewayError.isInstance(value) && value.code === 'GATEWAY_ENV_INVALID';
  }
}

/** The loopback port could not be bound. */
export class GatewayListenError extends SupabaseGatewayError {
  constructor(host: string, port: number, cause: unknown) {
    super(
      'GATEWAY_LISTEN_FAILED',
      `Could not listen on ${host}:${port}: ${(cause as Error)?.message ?? String(cause)}. ` +
        'Fix: pass port 0 (a free port) or a port nothing else uses.',
      { cause },
    );
    this.name = 'GatewayListenError';
  }

  static override isInstance(value: unknown): value is GatewayListenError {
    return SupabaseGatewayError.isInstance(value) && value.code === 'GATEWAY_LISTEN_FAILED';
  }
}

/** A method was called on a gateway after `stop()`. */
export class GatewayStoppedError extends SupabaseGatewayError {
  constructor(method: string) {
    super(
      'GATEWAY_STOPPED',
      `${method}() was called after stop(). Fix: start a new gateway with startSupabaseGateway().`,
    );
    this.name = 'GatewayStoppedError';
  }

  static override isInstance(value: unknown): value is GatewayStoppedError {
    return SupabaseGatewayError.isInstance(value) && value.code === 'GATEWAY_STOPPED';
  }
}

/** At most the first and last 4 characters of a secret, as the project rules allow. */
export function redact(secret: string): string {
  if (secret.length <= 12) return '***';
  return `${secret.slice(0, 4)}…${secret.slice(-4)}`;
}
