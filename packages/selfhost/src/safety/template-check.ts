import { parse as parseToml } from 'toml';
import { z } from 'zod';
import { parseInput } from '../errors.js';
import { TemplateInvalidError } from './safety-errors.js';
import { readComposeServices } from './template-compose.js';
import { FindingList, type TemplateFinding } from './template-findings.js';
import { checkDomains, checkEnv, checkMounts } from './template-parts.js';
import { checkVariables } from './template-variables.js';

/** A template as `compose.import` takes it: the compose YAML and the template.toml text. */
export interface TemplateInput {
  compose?: string;
  config?: string;
  /** Or both at once, as the `base64` of `compose.import` (base64 of JSON `{compose, config}`). */
  base64?: string;
  /**
   * How mount contents that are only a placeholder (`(omitted)`, `...`, `TODO`) count: `error`
   * (default: the services would read that text) or `warning` (a known-incomplete template,
   * such as the bundled one, whose files the operator supplies).
   */
  placeholderMounts?: 'error' | 'warning';
}

/** What `validateTemplate` found. `ok` means no error: Dokploy can import and deploy it. */
export interface TemplateCheck {
  readonly ok: boolean;
  readonly findings: TemplateFinding[];
  readonly summary: { readonly errors: number; readonly warnings: number };
  /** The compose's services (empty when the YAML does not parse). */
  readonly services: string[];
  /** The declared variables, Dokploy's own APP_NAME first. */
  readonly variables: string[];
  readonly domains: { serviceName?: string; port?: number; host?: string }[];
  /** The mount files, as `/path` under the compose's files directory. */
  readonly mounts: string[];
  /** Mount files whose content is only a placeholder: the operator must supply them. */
  readonly incompleteMounts: string[];
  /** How many env lines the import writes. */
  readonly envLines: number;
}

const schema = z
  .object({
    compose: z.string().optional(),
    config: z.string().optional(),
    base64: z.string().min(1).optional(),
    placeholderMounts: z.enum(['error', 'warning']).optional(),
  })
  .strict()
  .refine((v) => (v.base64 !== undefined) !== (v.compose !== undefined || v.config !== undefined), {
    message: 'give either compose and config, or base64',
  })
  .refine((v) => v.base64 !== undefined || (v.compose !== undefined && v.config !== undefined), {
    message: 'give both compose and config',
    path: ['config'],
  });

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** compose.import's payload: base64 of JSON `{compose, config}` with a non-empty compose. */
function decodePayload(
  base64: string,
  findings: FindingList,
): { compose: string; config: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (isRecord(parsed) && typeof parsed.compose === 'string' && typeof parsed.config === 'string')
    return { compose: parsed.compose, config: parsed.config };
  findings.add(
    'TEMPLATE_PAYLOAD_INVALID',
    'base64',
    'does not decode to JSON {"compose": "<yaml>", "config": "<toml>"}',
    'base64-encode JSON.stringify({ compose, config }) of the docker-compose.yml and template.toml texts',
  );
  return undefined;
}

function parseConfig(text: string, findings: FindingList): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = parseToml(text);
    if (isRecord(parsed)) return parsed;
  } catch (error) {
    const e = error as { line?: number; column?: number; message?: string };
    findings.add(
      'TEMPLATE_TOML_INVALID',
      e.line ? `config:${e.line}:${e.column ?? 1}` : 'config',
      `is not TOML Dokploy can read (it parses with toml@3.0.0): ${String(e.message ?? error).slice(0, 160)}`,
      'fix the template.toml at that line (quote strings, close brackets and """ strings)',
    );
  }
  return undefined;
}

/**
 * Checks a Dokploy template the way `compose.processTemplate` / `compose.import` will read it,
 * before anything is sent: the TOML with the same lenient parser Dokploy pins (toml@3.0.0), the
 * compose YAML, `[variables]`, every `${…}` of the env, domains and mount paths (a declared
 * variable, a Dokploy helper with a valid argument, or in env lines a key compose interpolates),
 * JWT payloads that would sign role-less keys, domains on services the compose has with numeric
 * ports, mount paths inside the files directory and mount contents that are only placeholders.
 * Never throws on content: every problem is a finding with a code, a path and a fix.
 */
export function validateTemplate(input: TemplateInput): TemplateCheck {
  const o = parseInput('validateTemplate', schema, input);
  const findings = new FindingList();
  const payload =
    o.base64 !== undefined
      ? decodePayload(o.base64, findings)
      : { compose: o.compose as string, config: o.config as string };
  let services: ReturnType<typeof readComposeServices>;
  let config: Record<string, unknown> | undefined;
  if (payload) {
    if (payload.compose.trim() === '') {
      findings.add(
        'TEMPLATE_COMPOSE_INVALID',
        'compose',
        'is empty: Dokploy refuses the template ("Must contain compose and config fields")',
        'pass the docker-compose.yml text',
      );
    } else services = readComposeServices(payload.compose, findings);
    config = parseConfig(payload.config, findings);
  }
  let declared = { names: ['APP_NAME'], raw: {} as Record<string, string> };
  let envLines = 0;
  let domains: TemplateCheck['domains'] = [];
  let mounts = { paths: [] as string[], incomplete: [] as string[] };
  if (config) {
    declared = checkVariables(config.variables, findings);
    const section = config.config;
    if (section !== undefined && !isRecord(section)) {
      findings.add(
        'TEMPLATE_CONFIG_INVALID',
        'config',
        'is not a table',
        'write the env, domains and mounts under [config], [[config.domains]] and [[config.mounts]]',
      );
    } else {
      envLines = checkEnv(section?.env, declared, findings);
      domains = checkDomains(section?.domains, services, declared, findings);
      mounts = checkMounts(
        section?.mounts,
        services,
        declared,
        findings,
        o.placeholderMounts ?? 'error',
      );
    }
  }
  const errors = findings.errors;
  return {
    ok: errors === 0,
    findings: findings.items,
    summary: { errors, warnings: findings.items.length - errors },
    services: (services ?? []).map((s) => s.name),
    variables: declared.names,
    domains,
    mounts: mounts.paths,
    incompleteMounts: mounts.incomplete,
    envLines,
  };
}

/** validateTemplate, refusing a template with any error with TemplateInvalidError. */
export function assertTemplateValid(input: TemplateInput): TemplateCheck {
  const check = validateTemplate(input);
  if (!check.ok) throw new TemplateInvalidError(check.findings);
  return check;
}

/** One sentence for operators: which mount files of a template they must supply. */
export function incompleteMountsMessage(check: TemplateCheck): string | undefined {
  if (check.incompleteMounts.length === 0) return undefined;
  return `Mounts incomplete: ${check.incompleteMounts.length} file${check.incompleteMounts.length === 1 ? '' : 's'} of the template ${check.incompleteMounts.length === 1 ? 'holds' : 'hold'} only a placeholder and must be supplied before the stack can start: ${check.incompleteMounts.join(', ')}. Upload their real content to the compose's mounts in Dokploy (Advanced → Mounts), then redeploy.`;
}
