import { z } from 'zod';
import { fixed, type Procedure } from '../procedure.js';

export const accountProcedures: Record<string, Procedure> = {
  'user.get': {
    method: 'GET',
    input: fixed(z.object({}).optional()),
    handle: (ctx) => ({
      id: 'member-1',
      organizationId: ctx.state.organizationId,
      userId: ctx.key.userId,
      role: ctx.key.role,
      createdAt: '2025-01-01T00:00:00.000Z',
      user: { ...ctx.state.user, id: ctx.key.userId },
    }),
  },
  'settings.getDokployVersion': {
    method: 'GET',
    input: fixed(z.object({}).optional()),
    handle: (ctx) => ctx.version.tag,
  },
  'settings.health': {
    method: 'GET',
    input: fixed(z.object({}).optional()),
    handle: () => ({ status: 'ok' }),
  },
};
