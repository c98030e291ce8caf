const MARKER = Symbol.for('supaops.mcp-server.error');

export type McpServerErrorCode =
  | 'MCP_INVALID_OPTIONS'
  | 'MCP_CONFIRMATION_REQUIRED'
  | 'MCP_CONFIRMATION_INVALID'
  | 'MCP_CONFIRMATION_DECLINED'
  | 'MCP_CURSOR_NOT_FOUND'
  | 'MCP_INSTANCE_UNSUPPORTED'
  | 'MCP_SERVICE_UNKNOWN'
  | 'MCP_HTTP_START_FAILED'
  | 'MCP_TOOL_CANCELLED'
  | 'MCP_RESTORE_REFUSED'
  | 'MCP_DOMAIN_CHANGE_BLOCKED'
  | 'MCP_CLONE_SMTP_UNUSABLE'
  | 'MCP_TOOL_FAILED';

/**
 * Base class of every error of @supaops/mcp-server: a stable `code`, a message that says what was
 * wrong and how to fix it, the cause chained. `isInstance()` works across duplicate copies.
 */
export class McpServerError extends Error {
  readonly [MARKER] = true;
  readonly code: McpServerErrorCode;

  constructor(code: McpServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'McpServerError';
    this.code = code;
  }

  static isInstance(value: unknown): value is McpServerError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }
}

/** Server options or command-line flags failed validation. */
export class McpOptionsError extends McpServerError {
  readonly issues: { path: string; message: string }[];

  constructor(issues: { path: string; message: string }[], options?: { cause?: unknown }) {
    const list = issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n');
    super(
      'MCP_INVALID_OPTIONS',
      `Invalid supaops-mcp options:\n${list}\nFix: see \`supaops-mcp --help\`.`,
      options,
    );
    this.name = 'McpOptionsError';
    this.issues = issues;
  }

  static override isInstance(value: unknown): value is McpOptionsError {
    return McpServerError.isInstance(value) && value.code === 'MCP_INVALID_OPTIONS';
  }
}

export type ConfirmationFailure = 'malformed' | 'mismatch' | 'expired' | 'used';

/** A confirmation token was malformed, issued for other arguments, expired or already used. */
export class ConfirmationError extends McpServerError {
  readonly reason: ConfirmationFailure;

  constructor(reason: ConfirmationFailure, tool: string) {
    const what: Record<ConfirmationFailure, string> = {
      malformed: 'is not a token this server issued',
      mismatch: `was issued for other arguments or another tool than this ${tool} call`,
      expired: 'has expired',
      used: 'was already used',
    };
    super(
      'MCP_CONFIRMATION_INVALID',
      `The confirmationToken ${what[reason]}. Fix: call ${tool} again without confirmationToken, ` +
        'review the dry run it returns, then repeat the call with exactly the same arguments and the new token.',
    );
    this.name = 'ConfirmationError';
    this.reason = reason;
  }

  static override isInstance(value: unknown): value is ConfirmationError {
    return McpServerError.isInstance(value) && value.code === 'MCP_CONFIRMATION_INVALID';
  }
}

/** The user declined the confirmation the client showed (MCP elicitation). */
export class ConfirmationDeclinedError extends McpServerError {
  constructor(tool: string, action: 'decline' | 'cancel') {
    super(
      'MCP_CONFIRMATION_DECLINED',
      `The user ${action === 'decline' ? 'declined' : 'cancelled'} the confirmation of ${tool}; nothing was changed. ` +
        'Fix: ask the user whether to proceed before calling it again.',
    );
    this.name = 'ConfirmationDeclinedError';
  }

  static override isInstance(value: unknown): value is ConfirmationDeclinedError {
    return McpServerError.isInstance(value) && value.code === 'MCP_CONFIRMATION_DECLINED';
  }
}

/** fetch_result_page was given a cursor that expired, was evicted or never existed. */
export class CursorNotFoundError extends McpServerError {
  constructor() {
    super(
      'MCP_CURSOR_NOT_FOUND',
      'This cursor is unknown or has expired (cursors live 10 minutes, and only the newest 20 are kept). ' +
        'Fix: run the query again with execute_sql, adding LIMIT/OFFSET or a WHERE clause to get fewer rows.',
    );
    this.name = 'CursorNotFoundError';
  }

  static override isInstance(value: unknown): value is CursorNotFoundError {
    return McpServerError.isInstance(value) && value.code === 'MCP_CURSOR_NOT_FOUND';
  }
}

/** The instance lacks what the tool needs (no database URL, no API URL, no backup storage ...). */
export class InstanceCapabilityError extends McpServerError {
  constructor(instance: string, missing: string, fix: string) {
    super('MCP_INSTANCE_UNSUPPORTED', `Instance "${instance}" has no ${missing}. Fix: ${fix}`);
    this.name = 'InstanceCapabilityError';
  }

  static override isInstance(value: unknown): value is InstanceCapabilityError {
    return McpServerError.isInstance(value) && value.code === 'MCP_INSTANCE_UNSUPPORTED';
  }
}

/** A tool was asked for services the instance does not run (the sandbox runs only postgres). */
export class UnknownServiceError extends McpServerError {
  readonly instance: string;
  readonly services: string[];
  readonly known: string[];

  constructor(instance: string, services: string[], known: string[], what: string) {
    const list = (names: string[]) => names.map((n) => `"${n}"`).join(', ');
    super(
      'MCP_SERVICE_UNKNOWN',
      `Instance "${instance}" is ${what} and has no service ${list(services)} (it runs ${list(known)}). Fix: pass service ${list(known)}, or leave service out.`,
    );
    this.name = 'UnknownServiceError';
    this.instance = instance;
    this.services = services;
    this.known = known;
  }

  static override isInstance(value: unknown): value is UnknownServiceError {
    return McpServerError.isInstance(value) && value.code === 'MCP_SERVICE_UNKNOWN';
  }
}

/**
 * The client cancelled a running tool call (notifications/cancelled). The message is the
 * library's account of what was kept and what was undone (the library error is the cause) and
 * how to go on through this server.
 */
export class ToolCancelledError extends McpServerError {
  readonly tool: string;

  constructor(tool: string, detail: string, next: string, options?: { cause?: unknown }) {
    super(
      'MCP_TOOL_CANCELLED',
      `${tool} was cancelled by the client. ${detail} Here: ${next}`,
      options,
    );
    this.name = 'ToolCancelledError';
    this.tool = tool;
  }

  static override isInstance(value: unknown): value is ToolCancelledError {
    return McpServerError.isInstance(value) && value.code === 'MCP_TOOL_CANCELLED';
  }
}

/**
 * restore_backup's dry run: backup-engine's pre-checks (planRestore) refuse the restore. Every
 * refusal is listed with its library code; the first one's error is the cause.
 */
export class RestoreRefusedError extends McpServerError {
  readonly refusals: { code: string; message: string }[];

  constructor(refusals: { code: string; message: string; error?: unknown }[]) {
    const list = refusals.map((r, i) => `(${i + 1}) ${r.code}: ${r.message}`).join(' ');
    super(
      'MCP_RESTORE_REFUSED',
      `The restore pre-checks refuse this restore; nothing was changed and no confirmation was issued. ${list} Fix: resolve each refusal as its message says, then call restore_backup again.`,
      { cause: refusals[0]?.error },
    );
    this.name = 'RestoreRefusedError';
    this.refusals = refusals.map((r) => ({ code: r.code, message: r.message }));
  }

  static override isInstance(value: unknown): value is RestoreRefusedError {
    return McpServerError.isInstance(value) && value.code === 'MCP_RESTORE_REFUSED';
  }
}

/**
 * dokploy_manage_domain: selfhost's planDomainChange found blockers (a host that is not a
 * hostname, a service the compose lacks). Each is listed with its library code and fix.
 */
export class DomainChangeBlockedError extends McpServerError {
  readonly blockers: { code: string; message: string; fix?: string }[];

  constructor(blockers: { code: string; message: string; fix?: string | undefined }[]) {
    const list = blockers
      .map((b) => `${b.code}: ${b.message}.${b.fix ? ` Fix: ${b.fix}.` : ''}`)
      .join(' ');
    super(
      'MCP_DOMAIN_CHANGE_BLOCKED',
      `The domain change is blocked; nothing was changed and no confirmation was issued. ${list}`,
    );
    this.name = 'DomainChangeBlockedError';
    this.blockers = blockers.map((b) => ({
      code: b.code,
      message: b.message,
      ...(b.fix ? { fix: b.fix } : {}),
    }));
  }

  static override isInstance(value: unknown): value is DomainChangeBlockedError {
    return McpServerError.isInstance(value) && value.code === 'MCP_DOMAIN_CHANGE_BLOCKED';
  }
}

/**
 * dokploy_clone_instance: the source's env gives the clone no SMTP it can use (selfhost's
 * CloneSettingsError is the cause; `missing` names the variables). The library's fix is an
 * answer to cloneInstance; here it is the tool's smtp argument.
 */
export class CloneSmtpUnusableError extends McpServerError {
  readonly missing: readonly string[];

  constructor(missing: readonly string[], options?: { cause?: unknown }) {
    super(
      'MCP_CLONE_SMTP_UNUSABLE',
      `The source's env gives the clone no usable ${missing.join(', ')} (missing, invalid, or .env.example's fake placeholders, which send no mail); nothing was created and no confirmation was issued. Fix: pass smtp (smtp://user:pass@host:587?from=auth@example.com, user and password percent-encoded, or 'dev' for sign-ups without mail), or set the source's SMTP variables with dokploy_update_env first.`,
      options,
    );
    this.name = 'CloneSmtpUnusableError';
    this.missing = [...missing];
  }

  static override isInstance(value: unknown): value is CloneSmtpUnusableError {
    return McpServerError.isInstance(value) && value.code === 'MCP_CLONE_SMTP_UNUSABLE';
  }
}

/** The Streamable HTTP transport could not start (port taken, bad host ...). */
export class HttpStartError extends McpServerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MCP_HTTP_START_FAILED', message, options);
    this.name = 'HttpStartError';
  }

  static override isInstance(value: unknown): value is HttpStartError {
    return McpServerError.isInstance(value) && value.code === 'MCP_HTTP_START_FAILED';
  }
}
