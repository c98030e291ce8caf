import type { DokployClient } from '@supaops/dokploy-client';
import { z } from 'zod';
import { selfhost } from '../../libs.js';
import { defineTool } from '../../registry/types.js';
import { looseRecord, READ } from '../common.js';
import { dokployServer } from './dokploy.js';

export default defineTool({
  name: 'dokploy_list_instances',
  title: 'List Dokploy instances',
  description: 'Finds the Supabase stacks on every configured Dokploy server.',
  group: 'selfhost',
  annotations: { ...READ, idempotentHint: false },
  write: false,
  input: z.object({}),
  output: z.object({ instances: z.array(looseRecord), errors: z.array(looseRecord) }),
  async handler(_args, ctx) {
    const sh = await selfhost();
    const loaded = ctx.runtime.loaded;
    const clients: Record<string, DokployClient> = {};
    const errors: { instance: string; message: string }[] = [];
    for (const name of Object.keys(loaded.config.dokployServers ?? {})) {
      try {
        clients[name] = (await dokployServer(name, ctx)).client;
      } catch (error) {
        // an unresolvable API key of one server does not hide the others' stacks
        errors.push({ instance: name, message: (error as Error).message });
      }
    }
    const found = await sh.listSupabaseInstances({ clients, signal: ctx.signal });
    // which configured instance (if any) each stack is, so the other tools can be pointed at it
    const configured = Object.entries(loaded.config.instances ?? {});
    const instances = found.instances.map((i) => {
      const match = configured.find(
        ([, c]) => c.dokploy?.server === i.instance && c.dokploy.composeId === i.composeId,
      );
      return { ...i, server: i.instance, configuredAs: match?.[0] ?? null };
    });
    const all = [...errors, ...found.errors.map((e) => ({ ...e }))];
    const lines = instances.map(
      (i) =>
        `${i.server}: ${i.projectName}/${i.name} (compose ${i.composeId}, ${i.status})${i.publicUrl ? ` ${i.publicUrl}` : ''}${i.configuredAs ? ` = instance ${i.configuredAs}` : ''}`,
    );
    for (const e of all) lines.push(`${e.instance}: unreadable: ${e.message}`);
    return {
      structured: { instances, errors: all },
      text: `${instances.length} Supabase stack(s) in ${found.composesScanned} compose(s).\n${lines.join('\n')}`,
    };
  },
});
