import { z } from 'zod';
import { fixed, need, nullableString, type Procedure } from '../procedure.js';
import { createMountRow } from '../rows.js';
import type { SimMount } from '../state.js';

const serviceType = z.enum([
  'application',
  'postgres',
  'mysql',
  'mariadb',
  'mongo',
  'redis',
  'compose',
  'libsql',
]);
const mountType = z.enum(['bind', 'volume', 'file']);

export const mountProcedures: Record<string, Procedure> = {
  'mounts.create': {
    method: 'POST',
    input: fixed(
      z.object({
        type: mountType,
        hostPath: nullableString,
        volumeName: nullableString,
        content: nullableString,
        mountPath: z.string().min(1),
        filePath: nullableString,
        serviceType: serviceType.default('application'),
        serviceId: z.string().min(1),
      }),
    ),
    handle: (
      ctx,
      input: Partial<SimMount> & {
        type: SimMount['type'];
        mountPath: string;
        serviceType: string;
        serviceId: string;
      },
    ) => {
      if (input.serviceType === 'compose') need(ctx.state.composes.get(input.serviceId), 'Compose');
      const row = createMountRow(input, input.serviceId);
      ctx.state.mounts.set(row.mountId, row);
      return row;
    },
  },
  'mounts.update': {
    method: 'POST',
    input: fixed(
      z.object({
        mountId: z.string().min(1),
        type: mountType.optional(),
        hostPath: nullableString,
        volumeName: nullableString,
        filePath: nullableString,
        content: nullableString,
        serviceType: serviceType.optional(),
        mountPath: z.string().min(1).optional(),
        composeId: nullableString,
      }),
    ),
    handle: (ctx, input: Partial<SimMount> & { mountId: string }) => {
      const row = need(ctx.state.mounts.get(input.mountId), 'Mount');
      for (const [k, v] of Object.entries(input)) if (v !== undefined) row[k] = v;
      return row;
    },
  },
};
