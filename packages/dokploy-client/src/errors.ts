const MARKER = Symbol.for('supaops.dokploy-client.error');

/** One issue of a Dokploy (or client-side) input validation failure. */
export interface DokployIssue {
  message: string;
  path?: (string | number)[];
  code?: string;
}

export interface DokployRequestInfo {
  /** `GET` or `POST`. */
  method: string;
  /** The procedure, e.g. `compose.one`, or `health`. */
  procedure: string;
}

/**
 * Base class of every error this package throws. Each subclass has a stable `code`.
 * Use `DokployError.isInstance(e)` (or a subclass's) instead of `instanceof`: it also works
 * across duplicate copies of the package.
 */
export class DokployError extends Error {
  readonly [MARKER] = true;
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DokployError';
    this.code = code;
  }

  static isInstance(value: unknown): value is DokployError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[MARKER] === true
    );
  }
}

function brand<T extends abstract new (...args: never[]) => DokployError>(
  cls: T,
  code: string,
): void {
  Object.defineProperty(cls, 'isInstance', {
    value: (value: unknown) =>
      DokployError.isInstance(value) && (value as DokployError).code === code,
  });
}

/** The input given to a client function is invalid (checked with zod before any request). */
export class DokployInputError extends DokployError {
  static readonly code = 'DOKPLOY_INVALID_INPUT';
  readonly issues: DokployIssue[];
  constructor(message: string, issues: DokployIssue[], options?: { cause?: unknown }) {
    super(DokployInputError.code, message, options);
    this.name = 'DokployInputError';
    this.issues = issues;
  }
  declare static isInstance: (value: unknown) => value is DokployInputError;
}
brand(DokployInputError, DokployInputError.code);

/** A client option or registry name is wrong. */
export class DokployConfigError extends DokployError {
  static readonly code = 'DOKPLOY_CONFIG';
  constructor(message: string, options?: { cause?: unknown }) {
    super(DokployConfigError.code, message, options);
    this.name = 'DokployConfigError';
  }
  declare static isInstance: (value: unknown) => value is DokployConfigError;
}
brand(DokployConfigError, DokployConfigError.code);

/** Dokploy answered with an HTTP error status; the body's `{message, code}` is kept. */
export class DokployHttpError extends DokployError {
  static readonly code: string = 'DOKPLOY_HTTP';
  readonly status: number;
  /** tRPC code from the body (`BAD_REQUEST`, `NOT_FOUND`, …) when there was one. */
  readonly dokployCode: string | undefined;
  /** The body's `message`, redacted. */
  readonly serverMessage: string | undefined;
  readonly request: DokployRequestInfo;
  constructor(
    message: string,
    init: {
      status: number;
      dokployCode?: string;
      serverMessage?: string;
      request: DokployRequestInfo;
      code?: string;
    },
    options?: { cause?: unknown },
  ) {
    super(init.code ?? DokployHttpError.code, message, options);
    this.name = 'DokployHttpError';
    this.status = init.status;
    this.dokployCode = init.dokployCode;
    this.serverMessage = init.serverMessage;
    this.request = init.request;
  }
  static override isInstance(value: unknown): value is DokployHttpError {
    return DokployError.isInstance(value) && typeof (value as DokployHttpError).status === 'number';
  }
}

type HttpInit = ConstructorParameters<typeof DokployHttpError>[1];

/** 401: the key is missing, wrong, lacks organization metadata, is rate-limited, or hit a known Dokploy bug. */
export class DokployUnauthorizedError extends DokployHttpError {
  static override readonly code = 'DOKPLOY_UNAUTHORIZED';
  /** The server version when the client knew it. */
  readonly serverVersion: string | undefined;
  constructor(
    message: string,
    init: HttpInit & { serverVersion?: string },
    options?: { cause?: unknown },
  ) {
    super(message, { ...init, code: DokployUnauthorizedError.code }, options);
    this.name = 'DokployUnauthorizedError';
    this.serverVersion = init.serverVersion;
  }
  declare static isInstance: (value: unknown) => value is DokployUnauthorizedError;
}
brand(DokployUnauthorizedError, DokployUnauthorizedError.code);

/**
 * The key is valid but its user may not do this: Dokploy answers 401 with `code:
 * "UNAUTHORIZED"` and a specific message (some routers rewrap it as 400). `permission` is the
 * one Dokploy checks for the procedure, e.g. `envVars:write`.
 */
export class DokployPermissionError extends DokployHttpError {
  static override readonly code = 'DOKPLOY_PERMISSION_DENIED';
  /** `resource:action`, e.g. `envVars:write`; `undefined` when neither the procedure nor the message tells. */
  readonly permission: string | undefined;
  /** The server version when the client knew it. */
  readonly serverVersion: string | undefined;
  constructor(
    message: string,
    init: HttpInit & { permission?: string | undefined; serverVersion?: string | undefined },
    options?: { cause?: unknown },
  ) {
    super(message, { ...init, code: DokployPermissionError.code }, options);
    this.name = 'DokployPermissionError';
    this.permission = init.permission;
    this.serverVersion = init.serverVersion;
  }
  declare static isInstance: (value: unknown) => value is DokployPermissionError;
}
brand(DokployPermissionError, DokployPermissionError.code);

/** 403: the key's user lacks the permission. */
export class DokployForbiddenError extends DokployHttpError {
  static override readonly code = 'DOKPLOY_FORBIDDEN';
  constructor(message: string, init: HttpInit, options?: { cause?: unknown }) {
    super(message, { ...init, code: DokployForbiddenError.code }, options);
    this.name = 'DokployForbiddenError';
  }
  declare static isInstance: (value: unknown) => value is DokployForbiddenError;
}
brand(DokployForbiddenError, DokployForbiddenError.code);

/** 404: the entity (or, on an older server, the procedure itself) does not exist. */
export class DokployNotFoundError extends DokployHttpError {
  static override readonly code = 'DOKPLOY_NOT_FOUND';
  /**
   * What is missing (`container`, `compose`) when the client recognized it in a 2xx answer:
   * Dokploy answers some misses with 200 (an empty body, or the daemon's error as text).
   */
  readonly resource: string | undefined;
  /** The id that was looked up, with `resource`. */
  readonly resourceId: string | undefined;
  constructor(
    message: string,
    init: HttpInit & { resource?: string; resourceId?: string },
    options?: { cause?: unknown },
  ) {
    super(message, { ...init, code: DokployNotFoundError.code }, options);
    this.name = 'DokployNotFoundError';
    this.resource = init.resource;
    this.resourceId = init.resourceId;
  }
  declare static isInstance: (value: unknown) => value is DokployNotFoundError;
}
brand(DokployNotFoundError, DokployNotFoundError.code);

/** 409: e.g. an `appName` that is already taken. */
export class DokployConflictError extends DokployHttpError {
  static override readonly code = 'DOKPLOY_CONFLICT';
  constructor(message: string, init: HttpInit, options?: { cause?: unknown }) {
    super(message, { ...init, code: DokployConflictError.code }, options);
    this.name = 'DokployConflictError';
  }
  declare static isInstance: (value: unknown) => value is DokployConflictError;
}
brand(DokployConflictError, DokployConflictError.code);

/** 400 from Dokploy: input validation failed (with `issues`) or a bad request. */
export class DokployValidationError extends DokployHttpError {
  static override readonly code = 'DOKPLOY_VALIDATION';
  readonly issues: DokployIssue[];
  constructor(
    message: string,
    init: HttpInit & { issues: DokployIssue[] },
    options?: { cause?: unknown },
  ) {
    super(message, { ...init, code: DokployValidationError.code }, options);
    this.name = 'DokployValidationError';
    this.issues = init.issues;
  }
  declare static isInstance: (value: unknown) => value is DokployValidationError;
}
brand(DokployValidationError, DokployValidationError.code);

/** 5xx after the retries the call was allowed. */
export class DokployServerError extends DokployHttpError {
  static override readonly code = 'DOKPLOY_SERVER';
  readonly attempts: number;
  constructor(
    message: string,
    init: HttpInit & { attempts: number },
    options?: { cause?: unknown },
  ) {
    super(message, { ...init, code: DokployServerError.code }, options);
    this.name = 'DokployServerError';
    this.attempts = init.attempts;
  }
  declare static isInstance: (value: unknown) => value is DokployServerError;
}
brand(DokployServerError, DokployServerError.code);

/** The connection failed (refused, reset, DNS) after the retries the call was allowed. */
export class DokployNetworkError extends DokployError {
  static readonly code = 'DOKPLOY_NETWORK';
  readonly request: DokployRequestInfo;
  readonly attempts: number;
  constructor(
    message: string,
    init: { request: DokployRequestInfo; attempts: number },
    options?: { cause?: unknown },
  ) {
    super(DokployNetworkError.code, message, options);
    this.name = 'DokployNetworkError';
    this.request = init.request;
    this.attempts = init.attempts;
  }
  declare static isInstance: (value: unknown) => value is DokployNetworkError;
}
brand(DokployNetworkError, DokployNetworkError.code);

/** A request, or a wait such as `waitForDeployment`, took longer than allowed. */
export class DokployTimeoutError extends DokployError {
  static readonly code = 'DOKPLOY_TIMEOUT';
  readonly timeoutMs: number;
  constructor(message: string, init: { timeoutMs: number }, options?: { cause?: unknown }) {
    super(DokployTimeoutError.code, message, options);
    this.name = 'DokployTimeoutError';
    this.timeoutMs = init.timeoutMs;
  }
  declare static isInstance: (value: unknown) => value is DokployTimeoutError;
}
brand(DokployTimeoutError, DokployTimeoutError.code);

/** The call was aborted through the caller's `AbortSignal`. */
export class DokployAbortError extends DokployError {
  static readonly code = 'DOKPLOY_ABORTED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(DokployAbortError.code, message, options);
    this.name = 'DokployAbortError';
  }
  declare static isInstance: (value: unknown) => value is DokployAbortError;
}
brand(DokployAbortError, DokployAbortError.code);

/** The server's Dokploy version lacks what the call needs. */
export class DokployVersionError extends DokployError {
  static readonly code = 'DOKPLOY_VERSION';
  readonly serverVersion: string;
  readonly requiredVersion: string;
  constructor(
    message: string,
    init: { serverVersion: string; requiredVersion: string },
    options?: { cause?: unknown },
  ) {
    super(DokployVersionError.code, message, options);
    this.name = 'DokployVersionError';
    this.serverVersion = init.serverVersion;
    this.requiredVersion = init.requiredVersion;
  }
  declare static isInstance: (value: unknown) => value is DokployVersionError;
}
brand(DokployVersionError, DokployVersionError.code);

/**
 * An env the client refused to write because it does not parse as `KEY=VALUE` lines, most
 * likely Dokploy's at-rest ciphertext read back after a secret change (v0.29.12+).
 */
export class DokployEnvError extends DokployError {
  static readonly code = 'DOKPLOY_ENV_UNREADABLE';
  readonly composeId: string;
  readonly looksEncrypted: boolean;
  /** Line numbers and reasons, with masked previews. */
  readonly problems: readonly { line: number; reason: string; preview: string }[];
  constructor(
    message: string,
    init: {
      composeId: string;
      looksEncrypted: boolean;
      problems: readonly { line: number; reason: string; preview: string }[];
    },
    options?: { cause?: unknown },
  ) {
    super(DokployEnvError.code, message, options);
    this.name = 'DokployEnvError';
    this.composeId = init.composeId;
    this.looksEncrypted = init.looksEncrypted;
    this.problems = init.problems;
  }
  declare static isInstance: (value: unknown) => value is DokployEnvError;
}
brand(DokployEnvError, DokployEnvError.code);

/** Dokploy answered 2xx with a body this client cannot read. */
export class DokployResponseError extends DokployError {
  static readonly code = 'DOKPLOY_BAD_RESPONSE';
  readonly request: DokployRequestInfo;
  constructor(
    message: string,
    init: { request: DokployRequestInfo },
    options?: { cause?: unknown },
  ) {
    super(DokployResponseError.code, message, options);
    this.name = 'DokployResponseError';
    this.request = init.request;
  }
  declare static isInstance: (value: unknown) => value is DokployResponseError;
}
brand(DokployResponseError, DokployResponseError.code);

/** A deployment that `waitForDeployment` watched ended in `error` or `cancelled`. */
export class DokployDeploymentFailedError extends DokployError {
  static readonly code = 'DOKPLOY_DEPLOYMENT_FAILED';
  readonly deploymentId: string;
  readonly status: string;
  /**
   * The end of the build log (redacted), read with `deployment.readLogs` when the server has it
   * (v0.29.5+): Dokploy keeps `errorMessage` null on build failures, the reason is only here.
   */
  readonly logTail: string | undefined;
  constructor(
    message: string,
    init: { deploymentId: string; status: string; logTail?: string },
    options?: { cause?: unknown },
  ) {
    super(DokployDeploymentFailedError.code, message, options);
    this.name = 'DokployDeploymentFailedError';
    this.deploymentId = init.deploymentId;
    this.status = init.status;
    this.logTail = init.logTail;
  }
  declare static isInstance: (value: unknown) => value is DokployDeploymentFailedError;
}
brand(DokployDeploymentFailedError, DokployDeploymentFailedError.code);

/**
 * Why a log stream failed: `unauthenticated` (closed without a code before any data: how
 * Dokploy answers a missing or bad key), `forbidden` (4003), `invalid-parameters` (4000),
 * `not-found` (the daemon's "No such container"), `timeout` (nothing arrived within the
 * caller's `timeoutMs`), `connection` (the upgrade failed).
 */
export type DokployStreamErrorKind =
  | 'unauthenticated'
  | 'forbidden'
  | 'invalid-parameters'
  | 'not-found'
  | 'timeout'
  | 'connection';

/** The container-log WebSocket failed or was closed by Dokploy with an error code. */
export class DokployStreamError extends DokployError {
  static readonly code = 'DOKPLOY_STREAM';
  readonly closeCode: number | undefined;
  readonly kind: DokployStreamErrorKind | undefined;
  constructor(
    message: string,
    init: { closeCode?: number; kind?: DokployStreamErrorKind },
    options?: { cause?: unknown },
  ) {
    super(DokployStreamError.code, message, options);
    this.name = 'DokployStreamError';
    this.closeCode = init.closeCode;
    this.kind = init.kind;
  }
  declare static isInstance: (value: unknown) => value is DokployStreamError;
}
brand(DokployStreamError, DokployStreamError.code);
