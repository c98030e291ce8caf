/** A tRPC-style failure; the server renders it as Dokploy's `{message, code, issues?}` body. */
export class SimTrpcError extends Error {
  readonly code: string;
  readonly status: number;
  readonly issues: unknown[] | undefined;
  constructor(code: keyof typeof STATUS_BY_CODE, message: string, issues?: unknown[]) {
    super(message);
    this.name = 'SimTrpcError';
    this.code = code;
    this.status = STATUS_BY_CODE[code];
    this.issues = issues;
  }
}

export const STATUS_BY_CODE = {
  PARSE_ERROR: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL_SERVER_ERROR: 500,
} as const;
