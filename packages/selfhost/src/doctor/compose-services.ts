/**
 * The service names of a compose file: the keys one level under the top-level `services:`.
 * A line scanner, not a YAML parser: it reads block-style compose files such as upstream's and
 * the Dokploy template's (flow-style `services: {…}` gives no names).
 */
export function composeServiceNames(yaml: string): string[] {
  const names: string[] = [];
  let inServices = false;
  let indent: number | undefined;
  for (const rawLine of yaml.split(/\r?\n/)) {
    const line = rawLine.replace(/\s+#.*$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const depth = line.length - line.trimStart().length;
    if (depth === 0) {
      inServices = /^services\s*:\s*$/.test(line);
      indent = undefined;
      continue;
    }
    if (!inServices) continue;
    indent ??= depth;
    if (depth !== indent) continue;
    const match = /^\s+(["']?)([A-Za-z0-9._-]+)\1\s*:/.exec(line);
    if (match) names.push(match[2] as string);
  }
  return names;
}
