import { z } from 'zod';
import { InstanceNotFoundError } from './errors.js';
import { parseWith } from './issues.js';
import { resolveParts } from './resolve-parts.js';
import type {
  InstanceSelection,
  LoadedConfig,
  ResolvedInstance,
  ResolveOptions,
  SecretStore,
} from './types.js';

export { adHocInstance } from './ad-hoc-instance.js';

/** The instance a missing name falls back to when `allowSandboxDefault` is set. */
export const SANDBOX_INSTANCE_NAME = 'sandbox';

export const INSTANCE_PARTS = ['database', 'api', 'dokploy', 'backups'] as const;

const optionsSchema = z
  .strictObject({
    sandbox: z.function().optional(),
    allowSandboxDefault: z.boolean().optional(),
    secretStore: z.custom<SecretStore>((v) => typeof v === 'object' && v !== null).optional(),
    passphrase: z.string().min(1).optional(),
    need: z.array(z.enum(INSTANCE_PARTS)).optional(),
  })
  .optional();

/**
 * An instance with its secrets resolved (the parts in `options.need` strictly, the others
 * best-effort). `name` undefined -> loaded.selection (the `instance` option, SUPAOPS_INSTANCE,
 * SUPAOPS_DB_URL, defaultInstance) -> the only instance -> the sandbox (with
 * allowSandboxDefault) -> InstanceNotFoundError with the fix, naming where the name came from.
 */
export async function resolveInstance(
  loaded: LoadedConfig,
  name: string | undefined,
  options: ResolveOptions = {},
): Promise<ResolvedInstance> {
  parseWith(z.string().min(1).optional(), name, 'instance name');
  const opts = parseWith(optionsSchema, options, 'resolveInstance options') ?? {};
  const { config } = loaded;
  const known = Object.keys(config.instances);
  const selection = name === undefined ? selected(loaded, known) : undefined;
  const chosen = name ?? selection?.name;
  const instance =
    chosen !== undefined && Object.hasOwn(config.instances, chosen)
      ? config.instances[chosen]
      : undefined;
  const partOptions = {
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    ...(opts.secretStore ? { secretStore: opts.secretStore } : {}),
    ...(opts.passphrase ? { passphrase: opts.passphrase } : {}),
    ...(opts.need ? { need: opts.need } : {}),
  };

  if (!instance) {
    const sandboxFallback =
      options.sandbox &&
      ((chosen === undefined && opts.allowSandboxDefault) || chosen === SANDBOX_INSTANCE_NAME);
    if (sandboxFallback) {
      return resolveParts(loaded, SANDBOX_INSTANCE_NAME, { kind: 'sandbox' }, partOptions);
    }
    throw notFound(chosen, known, selection);
  }
  return resolveParts(loaded, chosen as string, instance, partOptions);
}

// A LoadedConfig built by hand (no selection) falls back to config.defaultInstance.
function selected(loaded: LoadedConfig, known: string[]): InstanceSelection | undefined {
  if (loaded.selection) return loaded.selection;
  const { defaultInstance } = loaded.config;
  if (defaultInstance !== undefined) {
    return { name: defaultInstance, from: 'defaultInstance', label: 'defaultInstance' };
  }
  const only = known.length === 1 ? known[0] : undefined;
  // the only instance exists, so its (empty) label never reaches an error message
  return only === undefined ? undefined : { name: only, from: 'defaultInstance', label: '' };
}

function notFound(
  chosen: string | undefined,
  known: string[],
  selection: InstanceSelection | undefined,
): InstanceNotFoundError {
  const list = known.map((k) => `"${k}"`).join(', ');
  if (chosen !== undefined) {
    const from = selection?.label ? ` (from ${selection.label})` : '';
    const fix =
      selection?.from === 'SUPAOPS_INSTANCE'
        ? `Fix: set SUPAOPS_INSTANCE to one of the known names or unset it, or name the instance (--instance NAME).`
        : `Fix: use one of the known names, or add it (supaops instances add ${chosen} ...).`;
    return new InstanceNotFoundError(
      chosen,
      known,
      `No instance "${chosen}" is configured${from} (known: ${list || 'none'}). ${fix}`,
      selection?.label ? { from: selection.label } : {},
    );
  }
  return new InstanceNotFoundError(
    undefined,
    known,
    known.length > 0
      ? `Several instances are configured (${list}) and none is the default. Fix: name one (--instance NAME or SUPAOPS_INSTANCE), or set defaultInstance in the config.`
      : 'No instance is configured. Fix: add one (supaops instances add NAME ...), set SUPAOPS_DB_URL, or pass --db-url.',
  );
}
