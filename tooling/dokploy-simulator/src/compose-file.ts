/** One service of a compose file, as far as the simulator needs it. */
export interface ComposeService {
  readonly name: string;
  readonly hasHealthcheck: boolean;
}

/**
 * Reads the top-level `services:` keys of a compose YAML and whether each declares a
 * `healthcheck`. Indentation-based on purpose: the simulator needs names, not a YAML parser.
 */
export function composeServices(yaml: string): ComposeService[] {
  const lines = yaml.split(/\r?\n/);
  const services: { name: string; hasHealthcheck: boolean }[] = [];
  let inServices = false;
  let serviceIndent = -1;
  for (const line of lines) {
    if (/^\s*(#.*)?$/.test(line)) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      inServices = /^services:\s*$/.test(line);
      serviceIndent = -1;
      continue;
    }
    if (!inServices) continue;
    const key = /^\s*([A-Za-z0-9._-]+):\s*(#.*)?$/.exec(line);
    if (serviceIndent === -1 && key) serviceIndent = indent;
    if (indent === serviceIndent && key?.[1]) {
      services.push({ name: key[1], hasHealthcheck: false });
      continue;
    }
    const current = services.at(-1);
    if (current && indent > serviceIndent && /^\s*healthcheck:/.test(line)) {
      current.hasHealthcheck = true;
    }
  }
  return services;
}
