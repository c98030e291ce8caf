import type { TemplateProblem } from './safety-errors.js';

/**
 * Every code the template check reports, with its default severity. Errors are what makes
 * Dokploy's import fail half-way (after it deleted the mounts and domains) or gives a compose
 * that cannot deploy; warnings are what deploys but not as the author meant.
 */
export const TEMPLATE_FINDING_CODES = {
  TEMPLATE_PAYLOAD_INVALID: 'error',
  TEMPLATE_TOML_INVALID: 'error',
  TEMPLATE_COMPOSE_INVALID: 'error',
  TEMPLATE_COMPOSE_NO_SERVICES: 'error',
  TEMPLATE_COMPOSE_CONTAINER_NAME: 'warning',
  TEMPLATE_COMPOSE_HOST_PORTS: 'warning',
  TEMPLATE_VARIABLES_INVALID: 'error',
  TEMPLATE_VARIABLE_NOT_STRING: 'warning',
  TEMPLATE_VARIABLE_SHADOWED: 'warning',
  TEMPLATE_VARIABLE_ORDER: 'warning',
  TEMPLATE_VARIABLE_UNDEFINED: 'error',
  TEMPLATE_HELPER_UNKNOWN: 'warning',
  TEMPLATE_HELPER_ARGUMENT: 'warning',
  TEMPLATE_PLACEHOLDER_UNCLOSED: 'warning',
  TEMPLATE_JWT_PAYLOAD_INVALID: 'error',
  TEMPLATE_JWT_PAYLOAD_UNTRIMMED: 'warning',
  TEMPLATE_JWT_SECRET_LITERAL: 'warning',
  TEMPLATE_CONFIG_INVALID: 'error',
  TEMPLATE_ENV_EMPTY: 'warning',
  TEMPLATE_ENV_LINE_INVALID: 'warning',
  TEMPLATE_ENV_DUPLICATE_KEY: 'warning',
  TEMPLATE_DOMAIN_SERVICE_MISSING: 'error',
  TEMPLATE_DOMAIN_SERVICE_UNKNOWN: 'error',
  TEMPLATE_DOMAIN_PORT_INVALID: 'error',
  TEMPLATE_DOMAIN_PORT_DEFAULT: 'warning',
  TEMPLATE_DOMAIN_PORT_NOT_EXPOSED: 'warning',
  TEMPLATE_DOMAIN_HOST_INVALID: 'error',
  TEMPLATE_DOMAIN_PATH_INVALID: 'warning',
  TEMPLATE_MOUNT_PATH_INVALID: 'error',
  TEMPLATE_MOUNT_CONTENT_INVALID: 'error',
  TEMPLATE_MOUNT_DUPLICATE: 'warning',
  TEMPLATE_MOUNT_UNUSED: 'warning',
  TEMPLATE_MOUNTS_INCOMPLETE: 'error',
} as const satisfies Record<string, 'error' | 'warning'>;

export type TemplateFindingCode = keyof typeof TEMPLATE_FINDING_CODES;

/** One finding of `validateTemplate`: a stable code, where, what is wrong and the fix. */
export interface TemplateFinding extends TemplateProblem {
  readonly code: TemplateFindingCode;
}

/** Collects findings in order; `severity` overrides the code's default (placeholder mounts). */
export class FindingList {
  readonly items: TemplateFinding[] = [];

  add(
    code: TemplateFindingCode,
    path: string | undefined,
    message: string,
    fix: string,
    severity: 'error' | 'warning' = TEMPLATE_FINDING_CODES[code],
  ): void {
    this.items.push({ code, severity, ...(path ? { path } : {}), message, fix });
  }

  get errors(): number {
    return this.items.filter((f) => f.severity === 'error').length;
  }
}
