/** A Dokploy version as the simulator reasons about it. */
export interface SimVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** `v0.30.2`, the form `settings.getDokployVersion` answers. */
  readonly tag: string;
}

const VERSION_RE = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/;

export function parseSimVersion(input: string): SimVersion | undefined {
  const m = VERSION_RE.exec(input.trim());
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const patch = Number(m[3]);
  return { major, minor, patch, tag: `v${major}.${minor}.${patch}` };
}

/** `a` is at least `b` (`b` given as `0.25.6`). */
export function atLeast(a: SimVersion, b: string): boolean {
  const other = parseSimVersion(b);
  if (!other) throw new Error(`bad version literal ${b}`);
  if (a.major !== other.major) return a.major > other.major;
  if (a.minor !== other.minor) return a.minor > other.minor;
  return a.patch >= other.patch;
}
