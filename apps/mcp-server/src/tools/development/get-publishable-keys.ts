import { z } from 'zod';
import { InstanceCapabilityError } from '../../errors.js';
import { defineTool } from '../../registry/types.js';
import { instanceArg, READ } from '../common.js';

export default defineTool({
  name: 'get_publishable_keys',
  title: 'Get publishable keys',
  description:
    "The instance's anon and publishable keys for client apps; service_role/secret keys only with allowServiceKey.",
  group: 'development',
  annotations: READ,
  write: false,
  input: z.object({ instance: instanceArg }),
  output: z.object({
    instance: z.string(),
    keys: z.array(z.object({ name: z.string(), type: z.string(), value: z.string() })),
  }),
  async handler(args, ctx) {
    const instance = await ctx.instance(args.instance, ['api']);
    const api = instance.api;
    const candidates = [
      { name: 'anon', type: 'legacy', value: api?.anonKey, public: true },
      { name: 'publishable', type: 'publishable', value: api?.publishableKey, public: true },
      { name: 'service_role', type: 'legacy', value: api?.serviceRoleKey, public: false },
      { name: 'secret', type: 'secret', value: api?.secretKey, public: false },
    ];
    const keys = candidates
      .filter((k) => k.value && (k.public || instance.allowServiceKey))
      .map((k) => ({ name: k.name, type: k.type, value: k.value as string }));
    if (keys.length === 0) {
      throw new InstanceCapabilityError(
        instance.name,
        'anon or publishable key',
        `add api.anonKey (or api.publishableKey) as a secret reference to instance "${instance.name}".`,
      );
    }
    // public by design: let them through the redactor for this result only
    for (const k of keys) ctx.reveal(k.value);
    return { structured: { instance: instance.name, keys } };
  },
});
