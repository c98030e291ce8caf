import { type Check, readersOf, runs } from './context.js';
import { finding } from './finding.js';

/**
 * FUNCTIONS_VERIFY_JWT: the edge runtime's main function verifies JWTs only when VERIFY_JWT is
 * exactly "true"; false, empty, "1" or "TRUE" all leave every function open.
 */
export const checkFunctions: Check = (ctx) => {
  if (!runs(ctx, 'functions')) return [];
  const value = ctx.env.FUNCTIONS_VERIFY_JWT;
  if (value === 'true') return [];
  const how =
    value === undefined
      ? 'is not set'
      : value === ''
        ? 'is empty'
        : value === 'false'
          ? 'is false'
          : `is "${value}", which the main function does not read as true (it compares with the exact string "true")`;
  return [
    finding(
      'FUNCTIONS_VERIFY_JWT_DISABLED',
      `FUNCTIONS_VERIFY_JWT ${how}: every edge function answers requests without a valid JWT, so anyone who knows the URL can call them.`,
      { variable: 'FUNCTIONS_VERIFY_JWT', services: readersOf(ctx, 'FUNCTIONS_VERIFY_JWT') },
    ),
  ];
};
