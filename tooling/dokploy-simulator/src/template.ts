import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'toml';
import { signHs256 } from './jwt.js';
import { atLeast, type SimVersion } from './version.js';

/** A template the simulator can serve, read from `templates/<id>/`. */
export interface SimTemplate {
  readonly id: string;
  readonly meta: Record<string, unknown>;
  readonly composeFile: string;
  readonly toml: string;
}

export interface ProcessedTemplate {
  readonly envs: string[];
  readonly mounts: { filePath: string; content: string }[];
  readonly domains: { host: string; port: number; serviceName: string; path?: string }[];
}

interface TemplateConfig {
  variables?: Record<string, unknown>;
  config?: {
    env?: unknown;
    domains?: { serviceName?: unknown; port?: unknown; host?: unknown; path?: unknown }[];
    mounts?: { filePath?: unknown; content?: unknown }[];
  };
}

const templatesRoot = new URL('../templates/', import.meta.url);

export function loadBundledTemplate(id: string): SimTemplate | undefined {
  if (!/^[a-z0-9-]+$/.test(id)) return undefined;
  try {
    const dir = new URL(`${id}/`, templatesRoot);
    return {
      id,
      meta: JSON.parse(readFileSync(new URL('meta.json', dir), 'utf8')) as Record<string, unknown>,
      composeFile: readFileSync(new URL('docker-compose.yml', dir), 'utf8'),
      toml: readFileSync(new URL('template.toml', dir), 'utf8'),
    };
  } catch {
    return undefined;
  }
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Dokploy's `${password:N}`: N characters of [A-Za-z0-9], then lower-cased. */
export function generatePassword(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[randomInt(ALNUM.length)];
  return out.toLowerCase();
}

export function slugify(text: string): string {
  return text
    .replace(/[^a-zA-Z0-9\s]/g, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '-');
}

/** `${domain}` / `domain.generateDomain`: `<name>-<6 hex>-<ip dashed>.<sslip.io|traefik.me>`. */
export function generateDomain(name: string, serverIp: string, version: SimVersion): string {
  const suffix = atLeast(version, '0.29.3') ? 'sslip.io' : 'traefik.me';
  const ip = serverIp.replaceAll('.', '-');
  const hex = randomBytes(3).toString('hex');
  let label = slugify(name) || 'app';
  if (atLeast(version, '0.25.7')) {
    // v0.25.7 truncates the name so the first DNS label stays within 63 characters
    const room = 63 - (hex.length + ip.length + 2);
    label = label.slice(0, Math.max(1, Math.min(40, room)));
  }
  return `${label}-${hex}-${ip}.${suffix}`;
}

const DEFAULT_EXP = Math.floor(Date.parse('2030-01-01T00:00:00Z') / 1000);

/**
 * `${jwt:secretVar:payloadVar}` exactly as Dokploy evaluates it. Before v0.25.6 the payload
 * is not trimmed, so a TOML multi-line value ending in `}\n` fails the `endsWith("}")` check
 * and the default payload `{iat, exp, iss: "dokploy"}` is signed: both Supabase keys come out
 * identical and without `role`.
 */
function jwtHelper(
  secretVar: string,
  payloadVar: string | undefined,
  variables: Record<string, string>,
  version: SimVersion,
): string {
  const secret = variables[secretVar] ?? (secretVar || randomBytes(32).toString('hex'));
  let raw = payloadVar ? variables[payloadVar] : undefined;
  if (raw !== undefined && atLeast(version, '0.25.6')) raw = raw.trim();
  let payload: Record<string, unknown> | undefined;
  if (raw?.startsWith('{') && raw.endsWith('}')) {
    try {
      payload = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      payload = undefined; // Dokploy logs "Invalid JWT payload" and carries on
    }
  }
  const claims: Record<string, unknown> = { ...(payload ?? {}) };
  if (claims.iss === undefined) claims.iss = 'dokploy';
  if (claims.iat === undefined) claims.iat = Math.floor(Date.now() / 1000);
  if (claims.exp === undefined) claims.exp = DEFAULT_EXP;
  return signHs256(claims, secret);
}

export function processValue(
  value: string,
  variables: Record<string, string>,
  ctx: { projectName: string; serverIp: string; version: SimVersion },
): string {
  return value.replace(/\$\{([^}]+)\}/g, (match, name: string) => {
    const known = variables[name];
    if (known !== undefined) return known;
    if (name === 'domain') return generateDomain(ctx.projectName, ctx.serverIp, ctx.version);
    if (name === 'uuid') return randomUUID();
    if (name === 'password') return generatePassword(16);
    const [helper, a, b] = name.split(':');
    const n = Number(a ?? '');
    if (helper === 'password' && Number.isInteger(n)) return generatePassword(n);
    if (helper === 'base64' && Number.isInteger(n)) return randomBytes(n).toString('base64');
    if (helper === 'hash' && Number.isInteger(n))
      return randomBytes(Math.ceil(n / 2))
        .toString('hex')
        .slice(0, n);
    if (helper === 'timestamps' && a) return String(Math.floor(Date.parse(name.slice(11)) / 1000));
    if (helper === 'timestamp') return String(Date.now());
    if (helper === 'jwt' && a !== undefined) {
      if (b === undefined && Number.isInteger(n))
        return randomBytes(Math.ceil(n / 2))
          .toString('hex')
          .slice(0, n);
      return jwtHelper(a, b, variables, ctx.version);
    }
    return match;
  });
}

/** Runs a template (compose YAML + TOML) through the helpers, like `processTemplate`. */
export function processTemplate(
  tomlText: string,
  ctx: { projectName: string; serverIp: string; version: SimVersion },
): ProcessedTemplate {
  const parsed = parseToml(tomlText) as TemplateConfig;
  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed.variables ?? {})) {
    variables[key] = processValue(String(value), variables, ctx);
  }
  const config = parsed.config ?? {};
  const envEntries = Array.isArray(config.env)
    ? config.env.map(String)
    : Object.entries((config.env ?? {}) as Record<string, unknown>).map(
        ([k, v]) => `${k}=${String(v)}`,
      );
  return {
    envs: envEntries.map((line) => processValue(line, variables, ctx)),
    mounts: (config.mounts ?? []).map((m) => ({
      filePath: String(m.filePath ?? ''),
      content: processValue(String(m.content ?? ''), variables, ctx),
    })),
    domains: (config.domains ?? []).map((d) => ({
      host: processValue(String(d.host ?? ''), variables, ctx),
      port: Number(d.port ?? 80),
      serviceName: String(d.serviceName ?? ''),
      ...(typeof d.path === 'string' ? { path: d.path } : {}),
    })),
  };
}
