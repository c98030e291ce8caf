// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is Dokploy's template syntax here
import type { FindingList } from './template-findings.js';
import {
  checkReferences,
  expandForJson,
  isHelper,
  jwtParts,
  references,
  settledFirst,
} from './template-refs.js';

/** Names processValue gives a helper's meaning even when a variable has that name. */
const SHADOWED = ['domain', 'base64', 'password', 'hash', 'uuid', 'jwt', 'username', 'email'];

/**
 * The `[variables]` table: strings only (Dokploy skips the rest), no helper names, references
 * resolvable, and no reference to a later variable that is still raw when this one is expanded
 * (processVariables' second pass runs in declaration order). Returns the declared names with
 * Dokploy's own `APP_NAME` first.
 */
export function checkVariables(
  table: unknown,
  findings: FindingList,
): { names: string[]; raw: Record<string, string> } {
  const raw: Record<string, string> = { APP_NAME: 'app' };
  if (table === undefined) return { names: ['APP_NAME'], raw };
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    findings.add(
      'TEMPLATE_VARIABLES_INVALID',
      'variables',
      'is not a table of name = "value" pairs',
      'write [variables] as a TOML table, e.g. postgres_password = "${password:32}"',
    );
    return { names: ['APP_NAME'], raw };
  }
  for (const [name, value] of Object.entries(table)) {
    if (typeof value !== 'string') {
      findings.add(
        'TEMPLATE_VARIABLE_NOT_STRING',
        `variables.${name}`,
        `is a ${Array.isArray(value) ? 'array' : typeof value}, and Dokploy skips every variable that is not a string, so \${${name}} stays literal text`,
        `quote the value: ${name} = "…"`,
      );
      continue;
    }
    if (SHADOWED.includes(name))
      findings.add(
        'TEMPLATE_VARIABLE_SHADOWED',
        `variables.${name}`,
        `has the name of a Dokploy helper: \${${name}} always gives the helper's value, never this variable`,
        `rename it (e.g. my_${name})`,
      );
    raw[name] = value;
  }
  const names = Object.keys(raw);
  names.forEach((name, index) => {
    const value = raw[name] as string;
    if (name === 'APP_NAME') return;
    checkReferences(value, `variables.${name}`, { variables: names }, findings);
    if (settledFirst(value)) return;
    for (const ref of references(value)) {
      const later = names.indexOf(ref) > index ? raw[ref] : undefined;
      if (later !== undefined && !settledFirst(later) && later.includes('${'))
        findings.add(
          'TEMPLATE_VARIABLE_ORDER',
          `variables.${name}`,
          `uses \${${ref}}, declared after it and not yet expanded when ${name} is (Dokploy expands variables in declaration order), so ${name} gets ${ref}'s raw text`,
          `declare ${ref} before ${name}`,
        );
    }
    checkJwtReferences(value, `variables.${name}`, { raw, names, index }, findings);
  });
  return { names, raw };
}

/**
 * Every `${jwt:secretVar:payloadVar}` of a value: the secret should be a variable (else the
 * literal text signs), the payload a variable whose value parses as a JSON object once helpers
 * are expanded (else Dokploy signs its default payload without a role: the identical, role-less
 * keys of Dokploy bug A). `index` is set when the value is itself a variable.
 */
export function checkJwtReferences(
  value: string,
  where: string,
  ctx: { raw: Record<string, string>; names: string[]; index?: number },
  findings: FindingList,
): void {
  for (const name of references(value)) {
    const jwt = isHelper(name) ? jwtParts(name) : undefined;
    if (!jwt) continue;
    if (jwt.secret && !ctx.names.includes(jwt.secret))
      findings.add(
        'TEMPLATE_JWT_SECRET_LITERAL',
        where,
        `\${${name}} signs with the literal text "${jwt.secret}", since no variable has that name`,
        `declare ${jwt.secret} in [variables] (e.g. "\${password:32}") or fix the name`,
      );
    if (jwt.payload === undefined) continue;
    const payloadIndex = ctx.names.indexOf(jwt.payload);
    if (payloadIndex < 0) {
      findings.add(
        'TEMPLATE_JWT_PAYLOAD_INVALID',
        where,
        `\${${name}}: "${jwt.payload}" is not a variable (the argument cannot hold inline JSON), so Dokploy signs its default payload: no role, iss "dokploy", exp 2030-01-01`,
        `declare ${jwt.payload} in [variables] holding the JSON payload`,
      );
      continue;
    }
    const rawPayload = ctx.raw[jwt.payload] as string;
    const unexpanded =
      ctx.index !== undefined && payloadIndex > ctx.index && rawPayload.includes('${');
    const text = unexpanded
      ? rawPayload
      : expandForJson(rawPayload, expandedSamples(ctx.raw, jwt.payload));
    let parsed: unknown;
    try {
      parsed = text.trim().startsWith('{') && text.trim().endsWith('}') ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      findings.add(
        'TEMPLATE_JWT_PAYLOAD_INVALID',
        where,
        `\${${name}}: the value of ${jwt.payload} ${unexpanded ? 'is declared after this variable, so it is still unexpanded here and ' : ''}does not parse as a JSON object, so Dokploy signs its default payload: no role, iss "dokploy", exp 2030-01-01 (identical, role-less keys)`,
        unexpanded
          ? `declare ${jwt.payload} before the variable that uses it`
          : `make ${jwt.payload} a JSON object (no trailing commas), e.g. {"role": "anon", "iss": "supabase"}`,
      );
    } else if (text !== text.trim()) {
      findings.add(
        'TEMPLATE_JWT_PAYLOAD_UNTRIMMED',
        where,
        `\${${name}}: the value of ${jwt.payload} has whitespace around the JSON; Dokploy before v0.25.6 does not trim it and signs its role-less default payload instead`,
        `end the TOML string right after the closing brace (…}"""), or require Dokploy v0.25.6+`,
      );
    }
  }
}

/** Variables as stand-ins for a payload: helper-valued ones sampled, others raw. */
function expandedSamples(raw: Record<string, string>, skip: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (k !== skip) out[k] = expandForJson(v, {});
  return out;
}
