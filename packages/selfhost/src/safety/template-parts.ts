// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is Dokploy's template syntax here
import { parseEnv } from '../env/parse.js';
import { DOKPLOY_INJECTED_VARIABLES } from '../env/schema/table.js';
import type { ComposeService } from './template-compose.js';
import type { FindingList } from './template-findings.js';
import { checkReferences, PLACEHOLDER } from './template-refs.js';
import { checkJwtReferences } from './template-variables.js';

export interface Declared {
  readonly names: string[];
  readonly raw: Record<string, string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** processEnvVars: the env lines Dokploy builds, with where each came from. */
function envLines(env: unknown): { text: string; where: string; processed: boolean }[] {
  if (Array.isArray(env)) {
    return env.map((entry, i) => {
      const where = `config.env[${i}]`;
      if (typeof entry === 'string') return { text: entry, where, processed: true };
      if (isRecord(entry)) {
        const [key] = Object.keys(entry);
        if (key !== undefined)
          return { text: `${key}=${String(entry[key])}`, where, processed: false };
      }
      return { text: String(entry), where, processed: false };
    });
  }
  if (isRecord(env))
    return Object.entries(env).map(([key, value]) => ({
      text: `${key}=${String(value)}`,
      where: `config.env.${key}`,
      processed: typeof value === 'string',
    }));
  return [];
}

/** Env issues that mean a line is not a KEY=value compose reads as meant. */
const LINE_PROBLEMS = new Set([
  'invalid-line',
  'unterminated-quote',
  'text-after-quote',
  'inherited-key',
]);

/**
 * `config.env`: what compose will read (KEY=VALUE lines, no duplicates) and every `${…}` defined
 * (a variable, a helper, or a key of the env itself that compose interpolates).
 */
export function checkEnv(env: unknown, declared: Declared, findings: FindingList): number {
  if (env !== undefined && !Array.isArray(env) && !isRecord(env)) {
    findings.add(
      'TEMPLATE_CONFIG_INVALID',
      'config.env',
      'is neither an array of "KEY=value" strings nor a table',
      "write env = ['KEY=value', …] under [config]",
    );
    return 0;
  }
  const lines = envLines(env);
  if (lines.length === 0) {
    findings.add(
      'TEMPLATE_ENV_EMPTY',
      'config.env',
      "is empty or missing: compose.import replaces the compose's whole env with an empty one",
      "list the env under [config] as env = ['KEY=value', …]",
    );
    return 0;
  }
  const doc = parseEnv(lines.map((l) => l.text).join('\n'), { interpolate: false });
  const keys = new Set<string>(DOKPLOY_INJECTED_VARIABLES);
  for (const node of doc.nodes) if (node.kind === 'entry') keys.add(node.key);
  for (const issue of doc.issues) {
    if (issue.kind === 'duplicate-key')
      findings.add(
        'TEMPLATE_ENV_DUPLICATE_KEY',
        'config.env',
        `sets ${issue.key ?? 'a key'} more than once (env line ${issue.line}); compose uses the last one`,
        'keep one line per key',
      );
    else if (LINE_PROBLEMS.has(issue.kind))
      findings.add(
        'TEMPLATE_ENV_LINE_INVALID',
        'config.env',
        `env line ${issue.line} is not a KEY=value line compose can read (${issue.kind})`,
        'write one KEY=value per entry (comments start with #)',
      );
  }
  for (const line of lines) {
    if (!line.processed) continue;
    checkReferences(line.text, line.where, { variables: declared.names, envKeys: keys }, findings);
    checkJwtReferences(line.text, line.where, declared, findings);
  }
  return lines.length;
}

/** What a host becomes once the static variables are substituted (undefined: still dynamic). */
function staticHost(host: string, declared: Declared): string | undefined {
  let out = host;
  for (let i = 0; i < 5 && out.includes('${'); i++)
    out = out.replace(PLACEHOLDER, (m, name: string) => declared.raw[name] ?? m);
  return out.includes('${') ? undefined : out;
}

const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** `[[config.domains]]`: each on an existing service, a port Dokploy's createDomain accepts. */
export function checkDomains(
  domains: unknown,
  services: readonly ComposeService[] | undefined,
  declared: Declared,
  findings: FindingList,
): { serviceName?: string; port?: number; host?: string }[] {
  if (domains === undefined) return [];
  if (!Array.isArray(domains) || !domains.every(isRecord)) {
    findings.add(
      'TEMPLATE_CONFIG_INVALID',
      'config.domains',
      'is not an array of tables',
      'write each domain as a [[config.domains]] table with serviceName, port and host',
    );
    return [];
  }
  const named = domains.some((d) => typeof d.serviceName === 'string' && d.serviceName !== '');
  const out: { serviceName?: string; port?: number; host?: string }[] = [];
  domains.forEach((d, i) => {
    const at = `config.domains[${i}]`;
    const serviceName = typeof d.serviceName === 'string' ? d.serviceName : undefined;
    if (!serviceName) {
      findings.add(
        'TEMPLATE_DOMAIN_SERVICE_MISSING',
        `${at}.serviceName`,
        named
          ? 'is missing: Dokploy creates the domain without a service and every deploy then fails ("missing a service name")'
          : 'is missing on every domain, so Dokploy ignores all of them',
        'set serviceName to the compose service the domain routes to (e.g. "kong")',
        named ? 'error' : 'warning',
      );
    } else if (services && !services.some((s) => s.name === serviceName)) {
      findings.add(
        'TEMPLATE_DOMAIN_SERVICE_UNKNOWN',
        `${at}.serviceName`,
        `"${serviceName}" is not a service of the compose (${services.map((s) => s.name).join(', ')}): every deploy would fail with "attached to service … which does not exist"`,
        'use one of the compose services (the gateway is kong, or api-gw in newer templates)',
      );
    }
    const port = d.port;
    if (port === undefined) {
      findings.add(
        'TEMPLATE_DOMAIN_PORT_DEFAULT',
        `${at}.port`,
        "is missing, so the domain gets Dokploy's default port 3000",
        'set the port the service listens on (kong: 8000)',
      );
    } else if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      findings.add(
        'TEMPLATE_DOMAIN_PORT_INVALID',
        `${at}.port`,
        `is ${typeof port === 'string' ? `the string "${port}"` : String(port)}, not a port number 1–65535: Dokploy's domain.create refuses it half-way through the import`,
        'write the port as a bare number, e.g. port = 8000',
      );
    } else {
      const service = services?.find((s) => s.name === serviceName);
      if (service?.expose && service.expose.length > 0 && !service.expose.includes(port))
        findings.add(
          'TEMPLATE_DOMAIN_PORT_NOT_EXPOSED',
          `${at}.port`,
          `${port} is not among the ports ${serviceName} exposes (${service.expose.join(', ')})`,
          `use one of ${service.expose.join(', ')}, or expose ${port} in the compose`,
        );
    }
    if (d.path !== undefined && (typeof d.path !== 'string' || !d.path.startsWith('/')))
      findings.add(
        'TEMPLATE_DOMAIN_PATH_INVALID',
        `${at}.path`,
        'is not a path starting with "/"',
        'use "/" or a prefix such as "/api"',
      );
    let host: string | undefined;
    if (d.host !== undefined) {
      if (typeof d.host !== 'string') {
        findings.add(
          'TEMPLATE_DOMAIN_HOST_INVALID',
          `${at}.host`,
          'is not a string',
          'write host = "${main_domain}" (a variable holding ${domain}) or a hostname',
        );
      } else {
        host = d.host;
        checkReferences(d.host, `${at}.host`, { variables: declared.names }, findings);
        const fixed = staticHost(d.host, declared);
        if (fixed !== undefined && fixed !== '' && !HOSTNAME.test(fixed))
          findings.add(
            'TEMPLATE_DOMAIN_HOST_INVALID',
            `${at}.host`,
            `"${fixed}" is not a hostname Dokploy accepts (letters, digits, "-" and "."; no "_", no scheme, no port)`,
            'use a plain hostname such as supabase.example.com, or ${domain} for a generated one',
          );
      }
    }
    out.push({
      ...(serviceName ? { serviceName } : {}),
      ...(typeof port === 'number' ? { port } : {}),
      ...(host !== undefined ? { host } : {}),
    });
  });
  return out;
}

/** Content that stands for a file the template author left out. */
const PLACEHOLDER_CONTENT =
  /^(?:\(omitted\)|<omitted>|\[omitted\]|\.\.\.|…|todo|tbd|placeholder|changeme|replace me)$/i;

/** `[[config.mounts]]`: strings Dokploy can process, safe relative paths, no stand-in content. */
export function checkMounts(
  mounts: unknown,
  services: readonly ComposeService[] | undefined,
  declared: Declared,
  findings: FindingList,
  placeholderSeverity: 'error' | 'warning',
): { paths: string[]; incomplete: string[] } {
  if (mounts === undefined) return { paths: [], incomplete: [] };
  if (!Array.isArray(mounts) || !mounts.every(isRecord)) {
    findings.add(
      'TEMPLATE_CONFIG_INVALID',
      'config.mounts',
      'is not an array of tables',
      'write each file as a [[config.mounts]] table with filePath and content',
    );
    return { paths: [], incomplete: [] };
  }
  if (mounts.every((m) => !m.filePath && !m.content)) return { paths: [], incomplete: [] };
  const sources = (services ?? []).flatMap((s) =>
    s.fileSources.map((f) => f.slice('../files'.length)),
  );
  const paths: string[] = [];
  const incomplete: string[] = [];
  mounts.forEach((m, i) => {
    const at = `config.mounts[${i}]`;
    if (typeof m.filePath !== 'string' || m.filePath.trim() === '') {
      findings.add(
        'TEMPLATE_MOUNT_PATH_INVALID',
        `${at}.filePath`,
        "is missing or not a string: Dokploy's processMounts throws on it after the old mounts are deleted",
        'give every mount a filePath such as "/volumes/api/kong.yml"',
      );
    } else {
      const path = m.filePath;
      checkReferences(path, `${at}.filePath`, { variables: declared.names }, findings);
      const segments = path.replace(/\\/g, '/').split('/');
      if (segments.includes('..') || path.includes('\0') || path.endsWith('/'))
        findings.add(
          'TEMPLATE_MOUNT_PATH_INVALID',
          `${at}.filePath`,
          `"${path}" is not a file path inside the compose's files directory (no "..", no trailing "/")`,
          'use a path like "/volumes/api/kong.yml"; the compose reads it as ../files/volumes/api/kong.yml',
        );
      const normal = `/${path.replace(/^\.?\/+/, '')}`;
      if (paths.includes(normal))
        findings.add(
          'TEMPLATE_MOUNT_DUPLICATE',
          `${at}.filePath`,
          `"${path}" is listed twice; the last content wins`,
          'keep one mount per file',
        );
      else if (
        services &&
        !path.includes('${') &&
        !sources.some((s) => normal === s || normal.startsWith(`${s.replace(/\/+$/, '')}/`))
      )
        findings.add(
          'TEMPLATE_MOUNT_UNUSED',
          `${at}.filePath`,
          `"${path}" is written to the files directory, but no service mounts ../files${normal} or a directory above it`,
          `mount it in the compose (../files${normal}:<path in the container>) or drop it`,
        );
      paths.push(normal);
    }
    if (typeof m.content !== 'string') {
      findings.add(
        'TEMPLATE_MOUNT_CONTENT_INVALID',
        `${at}.content`,
        "is missing or not a string: Dokploy's processMounts throws on it after the old mounts are deleted",
        'give every mount its file content as a TOML string ("""…""" for several lines)',
      );
    } else if (PLACEHOLDER_CONTENT.test(m.content.trim()) && typeof m.filePath === 'string') {
      incomplete.push(m.filePath);
    }
  });
  if (incomplete.length > 0)
    findings.add(
      'TEMPLATE_MOUNTS_INCOMPLETE',
      'config.mounts',
      `${incomplete.length} mount file${incomplete.length === 1 ? ' holds' : 's hold'} only a placeholder instead of its content: ${incomplete.join(', ')}. The services reading them would start with that text as their config or script`,
      "supply the real content of each listed file (from the template's source), or upload the files to the compose's mounts in Dokploy before deploying",
      placeholderSeverity,
    );
  return { paths, incomplete };
}
