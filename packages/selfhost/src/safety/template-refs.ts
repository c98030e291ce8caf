// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is Dokploy's template syntax here
import type { FindingList } from './template-findings.js';

/** processors.ts processValue's placeholder: `${` up to the first `}`. */
export const PLACEHOLDER = /\$\{([^}]+)\}/g;

/** Helpers processValue knows without an argument (Dokploy v0.30.2 processors.ts). */
const BARE_HELPERS = new Set([
  'domain',
  'base64',
  'password',
  'hash',
  'uuid',
  'timestamp',
  'timestampms',
  'timestamps',
  'randomPort',
  'jwt',
  'username',
  'email',
]);

/** Helpers that take `:<argument>`. */
const ARG_HELPERS = new Set(['base64', 'password', 'hash', 'timestamps', 'timestampms', 'jwt']);

/** The names processVariables settles in its first pass (before any variable is expanded). */
export function settledFirst(value: string): boolean {
  return (
    value === '${domain}' ||
    value === '${hash}' ||
    value.startsWith('${base64:') ||
    value.startsWith('${password:') ||
    value.startsWith('${hash:')
  );
}

/** Whether `name` (the text inside `${…}`) is one of Dokploy's helpers. */
export function isHelper(name: string): boolean {
  if (BARE_HELPERS.has(name)) return true;
  const colon = name.indexOf(':');
  return colon > 0 && ARG_HELPERS.has(name.slice(0, colon));
}

/** The names inside every `${…}` of a string, in order. */
export function references(value: string): string[] {
  return [...value.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
}

/** A `${jwt:secret:payload}` reference split in its parts (not the `${jwt:N}` hex form). */
export function jwtParts(name: string): { secret: string; payload?: string } | undefined {
  if (!name.startsWith('jwt:')) return undefined;
  const params = name.split(':').slice(1);
  if (params.length === 1 && /^\d{1,3}$/.test(params[0] ?? '')) return undefined;
  const [secret = '', payload] = params;
  return payload === undefined ? { secret } : { secret, payload };
}

/** compose's own interpolation (`${VAR:-default}`, `${VAR?err}`…), left for docker compose. */
const COMPOSE_OPERATOR = /^[A-Za-z_][A-Za-z0-9_]*(:?[-?+])/;

export interface RefScope {
  /** Declared template variables (APP_NAME included), in declaration order. */
  readonly variables: readonly string[];
  /** For env lines: keys of the env itself and Dokploy's own, which compose interpolates. */
  readonly envKeys?: ReadonlySet<string>;
}

/**
 * Checks the `${…}` references of one processed value: helpers with their arguments, declared
 * variables, and (in env lines) compose's own interpolation of env keys. `where` is the path.
 */
export function checkReferences(
  value: string,
  where: string,
  scope: RefScope,
  findings: FindingList,
): void {
  const opened = value.split('${').length - 1;
  const matched = [...value.matchAll(PLACEHOLDER)].length;
  if (opened > matched)
    findings.add(
      'TEMPLATE_PLACEHOLDER_UNCLOSED',
      where,
      'has a "${" without its closing "}"; Dokploy leaves it as literal text',
      'close the placeholder with "}" (or remove the stray "${")',
    );
  for (const name of references(value)) {
    if (name.startsWith('{')) continue; // ${{project.X}} / ${{environment.X}}: resolved at deploy
    if (isHelper(name)) {
      checkHelperArgument(name, where, findings);
      continue;
    }
    if (scope.variables.includes(name)) continue;
    if (scope.envKeys && (scope.envKeys.has(name) || COMPOSE_OPERATOR.test(name))) continue;
    const colon = name.indexOf(':');
    if (colon > 0 && /^[a-z][A-Za-z]*$/.test(name.slice(0, colon))) {
      findings.add(
        'TEMPLATE_HELPER_UNKNOWN',
        where,
        `uses the helper "${name.slice(0, colon)}", which Dokploy does not have; it stays literal text`,
        'use one of domain, base64[:N], password[:N], hash[:N], uuid, timestamp(s|ms)[:date], randomPort, jwt[:N | :secretVar:payloadVar], username, email',
      );
      continue;
    }
    findings.add(
      'TEMPLATE_VARIABLE_UNDEFINED',
      where,
      `uses \${${name}}, which is neither a [variables] entry nor a Dokploy helper${scope.envKeys ? ' nor a key of the env' : ''}; Dokploy would keep the text "\${${name}}" as the value`,
      `declare ${name} in [variables] (e.g. ${name} = "\${password:32}") or fix the name`,
    );
  }
}

function checkHelperArgument(name: string, where: string, findings: FindingList): void {
  const [helper, ...rest] = name.split(':');
  const arg = rest.join(':');
  if (rest.length === 0) return;
  if (helper === 'base64' || helper === 'password' || helper === 'hash') {
    if (!(Number.parseInt(arg, 10) > 0))
      findings.add(
        'TEMPLATE_HELPER_ARGUMENT',
        where,
        `\${${name}}: "${arg}" is not a positive length, so Dokploy uses its default length`,
        `write the length as digits, e.g. \${${helper}:32}`,
      );
  } else if (helper === 'timestamps' || helper === 'timestampms') {
    if (Number.isNaN(new Date(arg).getTime()))
      findings.add(
        'TEMPLATE_HELPER_ARGUMENT',
        where,
        `\${${name}}: "${arg}" is not a date, so the value would be "NaN"`,
        `give an ISO 8601 date, e.g. \${${helper}:2030-01-01T00:00:00Z}`,
      );
  }
}

/** A stand-in for a helper's output when a payload is tried as JSON (numbers for timestamps). */
function sampleOf(name: string): string {
  if (name.startsWith('timestamp')) return '1893456000';
  if (name === 'randomPort') return '4000';
  return 'x0';
}

/** The payload text as processValue hands it to JSON.parse (helpers expanded, variables too). */
export function expandForJson(raw: string, values: Readonly<Record<string, string>>): string {
  return raw.replace(PLACEHOLDER, (match, name: string) => {
    if (isHelper(name)) return sampleOf(name);
    return name in values ? (values[name] as string) : match;
  });
}
