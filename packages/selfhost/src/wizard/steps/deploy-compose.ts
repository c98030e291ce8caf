import type { DokployClient } from '@supaops/dokploy-client';
import { assertTemplateValid } from '../../safety/template-check.js';
import { BUNDLED_COMPOSE_FILE, BUNDLED_TEMPLATE_CONFIG } from '../bundled-template.js';
import type { StepContext } from '../context.js';

/** Errors that mean Dokploy could not get the live template (no egress, template site down). */
function templateUnavailable(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return (
    code === 'DOKPLOY_SERVER' ||
    code === 'DOKPLOY_NOT_FOUND' ||
    code === 'DOKPLOY_NETWORK' ||
    code === 'DOKPLOY_TIMEOUT'
  );
}

interface Owner {
  projectId: string;
  environmentId: string | null;
}

function ownerOf(o: Owner): { environmentId: string } | { projectId: string } {
  return o.environmentId ? { environmentId: o.environmentId } : { projectId: o.projectId };
}

async function createRaw(
  ctx: StepContext,
  owner: Owner,
  composeFile: string,
): Promise<{ composeId: string; appName: string }> {
  const { client, history, signal } = ctx.deps;
  const call = signal ? { signal } : {};
  await history.record({
    kind: 'compose.create',
    actor: 'wizard',
    after: { name: ctx.answers.composeName, source: ctx.answers.compose.source },
  });
  const compose = await client.compose.create(
    {
      name: ctx.answers.composeName,
      ...ownerOf(owner),
      composeFile,
      ...(ctx.answers.serverId ? { serverId: ctx.answers.serverId } : {}),
    },
    call,
  );
  return { composeId: compose.composeId, appName: compose.appName };
}

/** The bundled compose with its TOML, the mounts holding supaops' own files. */
async function importBundled(client: DokployClient, composeId: string, signal?: AbortSignal) {
  const base64 = Buffer.from(
    JSON.stringify({ compose: BUNDLED_COMPOSE_FILE, config: BUNDLED_TEMPLATE_CONFIG }),
  ).toString('base64');
  await client.compose.import({ composeId, base64 }, signal ? { signal } : {});
}

/**
 * Creates the compose once: the live template (`deployTemplate`), the bundled one when Dokploy
 * cannot fetch it (or when asked), or the user's own file. Its id is checkpointed at once.
 */
export async function ensureCompose(
  ctx: StepContext,
): Promise<{ composeId: string; appName: string; source: string }> {
  const { client, history, signal } = ctx.deps;
  const call = signal ? { signal } : {};
  if (typeof ctx.data.composeId === 'string') {
    const existing = await client.compose
      .one({ composeId: ctx.data.composeId }, call)
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === 'DOKPLOY_NOT_FOUND') return undefined;
        throw error;
      });
    if (existing) {
      // the previous run created the raw compose but stopped before (or in) the import
      if (ctx.data.source === 'bundled' && ctx.data.imported === false) {
        ctx.emit({
          type: 'progress',
          message: 'importing the bundled template (the previous run stopped before it)',
          phase: 'compose',
        });
        await importBundled(client, existing.composeId, signal);
        await ctx.checkpoint({ imported: true });
      }
      return {
        composeId: existing.composeId,
        appName: existing.appName,
        source: String(ctx.data.source ?? ctx.answers.compose.source),
      };
    }
    ctx.emit({
      type: 'warning',
      code: 'COMPOSE_GONE',
      message: `Compose ${ctx.data.composeId} from the previous run no longer exists; creating it again.`,
    });
  }
  const owner = ctx.of<Owner>('project');
  const source = ctx.answers.compose;
  let created: { composeId: string; appName: string; source: string } | undefined;
  if (source.source === 'template') {
    ctx.emit({
      type: 'progress',
      message: 'creating the compose from the Supabase template',
      phase: 'compose',
    });
    try {
      await history.record({
        kind: 'compose.create',
        actor: 'wizard',
        after: { template: 'supabase', ...ownerOf(owner) },
      });
      const c = await client.compose.deployTemplate(
        {
          ...ownerOf(owner),
          id: 'supabase',
          ...(ctx.answers.serverId ? { serverId: ctx.answers.serverId } : {}),
        },
        call,
      );
      created = { composeId: c.composeId, appName: c.appName, source: 'template' };
    } catch (error) {
      if (!templateUnavailable(error)) throw error;
      ctx.emit({
        type: 'warning',
        code: 'TEMPLATE_UNAVAILABLE',
        message: `Dokploy could not fetch the Supabase template (${(error as Error).message}); using the compose supaops ships instead.`,
      });
    }
  }
  if (!created && source.source !== 'own') {
    // import deletes mounts and domains before it parses: check first, before anything exists;
    // placeholder mounts are errors (every bundled mount has supaops' content)
    assertTemplateValid({ compose: BUNDLED_COMPOSE_FILE, config: BUNDLED_TEMPLATE_CONFIG });
    const raw = await createRaw(ctx, owner, BUNDLED_COMPOSE_FILE);
    await ctx.checkpoint({
      composeId: raw.composeId,
      appName: raw.appName,
      source: 'bundled',
      imported: false,
    });
    await importBundled(client, raw.composeId, signal);
    await ctx.checkpoint({ imported: true });
    created = { ...raw, source: 'bundled' };
  }
  if (!created && source.source === 'own') {
    created = { ...(await createRaw(ctx, owner, source.composeFile)), source: 'own' };
  }
  const result = created as { composeId: string; appName: string; source: string };
  await ctx.checkpoint({ ...result });
  return result;
}
