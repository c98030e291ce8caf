import { z } from 'zod';
import { createDokployClient, DokployClient } from './client.js';
import { DokployConfigError } from './errors.js';
import type { DokployClientOptions } from './options.js';

const nameSchema = z.string().regex(/^[a-zA-Z0-9._-]{1,64}$/);

function checkName(name: unknown): string {
  const r = nameSchema.safeParse(name);
  if (!r.success) {
    throw new DokployConfigError(
      `Instance name "${String(name)}" is invalid. Fix: use 1-64 letters, digits, ".", "_" or "-".`,
    );
  }
  return r.data;
}

/** Several Dokploy instances side by side, each reached by name (e.g. `prod`, `staging`). */
export class DokployRegistry {
  readonly #clients = new Map<string, DokployClient>();

  constructor(instances: Record<string, DokployClientOptions | DokployClient> = {}) {
    for (const [name, value] of Object.entries(instances)) this.add(name, value);
  }

  /** Registers an instance; throws if the name is taken (use `replace` to swap). */
  add(name: string, value: DokployClientOptions | DokployClient): DokployClient {
    const key = checkName(name);
    if (this.#clients.has(key)) {
      throw new DokployConfigError(
        `A Dokploy instance named "${key}" is already registered. Fix: pick another name or call replace().`,
      );
    }
    return this.#set(key, value);
  }

  /** Registers or replaces an instance. */
  replace(name: string, value: DokployClientOptions | DokployClient): DokployClient {
    return this.#set(checkName(name), value);
  }

  #set(name: string, value: DokployClientOptions | DokployClient): DokployClient {
    const client =
      value instanceof DokployClient
        ? value
        : createDokployClient({ ...value, name: value.name ?? name });
    this.#clients.set(name, client);
    return client;
  }

  /** The client registered under `name`; throws `DokployConfigError` listing the known names. */
  get(name: string): DokployClient {
    const client = this.#clients.get(name);
    if (!client) {
      const known = [...this.#clients.keys()];
      throw new DokployConfigError(
        `No Dokploy instance named "${name}". Known: ${known.length ? known.join(', ') : '(none)'}. Fix: register it with add(name, { baseUrl, apiKey }).`,
      );
    }
    return client;
  }

  has(name: string): boolean {
    return this.#clients.has(name);
  }

  remove(name: string): boolean {
    return this.#clients.delete(name);
  }

  names(): string[] {
    return [...this.#clients.keys()];
  }

  get size(): number {
    return this.#clients.size;
  }
}

export function createDokployRegistry(
  instances: Record<string, DokployClientOptions | DokployClient> = {},
): DokployRegistry {
  return new DokployRegistry(instances);
}
