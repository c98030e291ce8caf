import type { Server } from '@modelcontextprotocol/sdk/server/index.js';

export type ElicitationAnswer = 'accept' | 'decline' | 'cancel' | 'unsupported';

/** True when the client declared the (form) elicitation capability. */
export function canElicit(server: Server): boolean {
  const elicitation = server.getClientCapabilities()?.elicitation as
    | { form?: object; url?: object }
    | undefined;
  if (!elicitation) return false;
  // an empty object means form support (the spec's backwards-compatible reading)
  return Object.keys(elicitation).length === 0 || elicitation.form !== undefined;
}

/**
 * Asks the user through the client's elicitation UI. 'unsupported' when the client cannot, or the
 * request fails (then the caller falls back to the confirmation token flow).
 */
export async function askConfirmation(
  server: Server,
  message: string,
  signal?: AbortSignal,
): Promise<ElicitationAnswer> {
  if (!canElicit(server)) return 'unsupported';
  try {
    const result = await server.elicitInput(
      {
        mode: 'form',
        message,
        requestedSchema: {
          type: 'object',
          properties: {
            confirm: { type: 'boolean', title: 'Proceed', description: 'Carry out this change' },
          },
          required: ['confirm'],
        },
      },
      signal ? { signal } : undefined,
    );
    if (result.action === 'accept') return result.content?.confirm === false ? 'decline' : 'accept';
    return result.action;
  } catch {
    if (signal?.aborted) return 'cancel';
    return 'unsupported';
  }
}
