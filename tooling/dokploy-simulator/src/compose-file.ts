/** A `depends_on` entry: the service waited for, and how (`service_started` for the short form). */
export interface ComposeDependency {
  readonly service: string;
  readonly condition: string;
}

/** One service of a compose file, as far as the simulator needs it. */
export interface ComposeService {
  readonly name: string;
  readonly hasHealthcheck: boolean;
  readonly dependsOn: readonly ComposeDependency[];
}

interface MutableService {
  name: string;
  hasHealthcheck: boolean;
  dependsOn: { service: string; condition: string }[];
}

const KEY_RE = /^\s*([A-Za-z0-9._-]+):\s*(#.*)?$/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Reads the entries under one `depends_on:` key, from `lines[start]` on; returns the next index. */
function readDependsOn(
  lines: string[],
  start: number,
  keyIndent: number,
  into: MutableService,
): number {
  let i = start;
  let entryIndent = -1;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*(#.*)?$/.test(line)) continue;
    const indent = indentOf(line);
    if (indent <= keyIndent) break;
    const item = /^\s*-\s*["']?([A-Za-z0-9._-]+)["']?\s*$/.exec(line);
    if (item?.[1]) {
      into.dependsOn.push({ service: item[1], condition: 'service_started' });
      continue;
    }
    const key = KEY_RE.exec(line);
    if (entryIndent === -1 && key) entryIndent = indent;
    if (indent === entryIndent && key?.[1]) {
      into.dependsOn.push({ service: key[1], condition: 'service_started' });
      continue;
    }
    const condition = /^\s*condition:\s*["']?([a-z_]+)["']?\s*$/.exec(line);
    const last = into.dependsOn.at(-1);
    if (condition?.[1] && last) last.condition = condition[1];
  }
  return i;
}

/**
 * Reads the top-level `services:` keys of a compose YAML, whether each declares a
 * `healthcheck`, and its `depends_on` entries. Indentation-based on purpose: the simulator
 * needs names and conditions, not a YAML parser.
 */
export function composeServices(yaml: string): ComposeService[] {
  const lines = yaml.split(/\r?\n/);
  const services: MutableService[] = [];
  let inServices = false;
  let serviceIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*(#.*)?$/.test(line)) continue;
    const indent = indentOf(line);
    if (indent === 0) {
      inServices = /^services:\s*$/.test(line);
      serviceIndent = -1;
      continue;
    }
    if (!inServices) continue;
    const key = KEY_RE.exec(line);
    if (serviceIndent === -1 && key) serviceIndent = indent;
    if (indent === serviceIndent && key?.[1]) {
      services.push({ name: key[1], hasHealthcheck: false, dependsOn: [] });
      continue;
    }
    const current = services.at(-1);
    if (!current || indent <= serviceIndent) continue;
    if (/^\s*healthcheck:/.test(line)) current.hasHealthcheck = true;
    const inline = /^\s*depends_on:\s*\[([^\]]*)\]\s*$/.exec(line);
    if (inline) {
      for (const name of (inline[1] ?? '').split(',')) {
        const service = name.trim().replace(/^["']|["']$/g, '');
        if (service) current.dependsOn.push({ service, condition: 'service_started' });
      }
      continue;
    }
    if (/^\s*depends_on:\s*$/.test(line)) i = readDependsOn(lines, i + 1, indent, current) - 1;
  }
  return services;
}
