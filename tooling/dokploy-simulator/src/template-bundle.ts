import { readFileSync } from 'node:fs';

/** A template the simulator can serve, read from `templates/<id>/`. */
export interface SimTemplate {
  readonly id: string;
  readonly meta: Record<string, unknown>;
  readonly composeFile: string;
  readonly toml: string;
}

const templatesRoot = new URL('../templates/', import.meta.url);

/** The bundled snapshot of templates.dokploy.com (no egress: Dokploy fetches it live). */
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
