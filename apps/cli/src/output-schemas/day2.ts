import { z } from 'zod';

/** The --json documents of the day-2 commands (health, logs, domain, rollback, discover). */

const check = z.object({
  name: z.string(),
  ok: z.boolean(),
  reason: z.string(),
  status: z.number().int().optional(),
  services: z.array(z.string()).optional(),
  transient: z.boolean().optional(),
});

const validation = z
  .object({
    ok: z.boolean(),
    checks: z.array(z.object({ name: z.string(), ok: z.boolean(), reason: z.string() })),
  })
  .describe('the post-deploy checks');

const container = z.object({
  service: z.string(),
  containerId: z.string(),
  name: z.string(),
  state: z.string(),
  health: z.string().describe('the health check result, or none'),
  ok: z.boolean(),
});

const part = z.object({
  checked: z.boolean(),
  ok: z.boolean().optional(),
  reason: z.string().optional().describe('why the part was not checked'),
});

const healthReport = z.object({
  instance: z.string(),
  ok: z.boolean().describe('every configured part passed (containers, HTTP checks, connections)'),
  checks: z.array(check).describe('in part order: containers, the HTTP checks, connections'),
  parts: z.object({ dokploy: part, api: part, database: part }),
  composeId: z.string().optional().describe('with a Dokploy compose'),
  appName: z.string().optional(),
  publicUrl: z.string().optional(),
  containers: z.array(container).optional(),
  connections: z
    .object({
      maxConnections: z.number().int(),
      used: z.number().int(),
      percentUsed: z.number(),
      level: z.string(),
      byService: z.record(z.string(), z.number().int()),
      recommendedPoolerPoolSize: z.number().int(),
      recommendations: z.array(z.looseObject({})),
    })
    .optional(),
  database: z.object({ reachable: z.literal(false), reason: z.string() }).optional(),
  logs: z
    .array(
      z.object({
        service: z.string(),
        containerId: z.string().optional(),
        lines: z.array(z.string()).optional(),
        unavailable: z.string().optional(),
      }),
    )
    .describe('with Dokploy and a failing check: the logs of the services it points at'),
  skipped: z.array(z.string()),
  checkedAt: z.string(),
});

const at = z.string();
const watchEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('poll'), at, ok: z.boolean(), poll: z.number().int() }),
  z.object({
    type: z.literal('container-unhealthy'),
    at,
    service: z.string(),
    state: z.string(),
    health: z.string(),
  }),
  z.object({ type: z.literal('container-recovered'), at, service: z.string() }),
  z.object({ type: z.literal('check-failed'), at, check: z.string(), reason: z.string() }),
  z.object({ type: z.literal('check-recovered'), at, check: z.string() }),
  z.object({
    type: z.literal('pool-high'),
    at,
    percentUsed: z.number(),
    used: z.number().int(),
    maxConnections: z.number().int(),
  }),
  z.object({ type: z.literal('pool-normal'), at, percentUsed: z.number() }),
  z.object({ type: z.literal('error'), at, message: z.string() }),
]);

const healthWatch = z.object({
  instance: z.string(),
  composeId: z.string(),
  watch: z.literal(true),
  polls: z.number().int(),
  ok: z.boolean().describe('the state of the last poll'),
  events: z.array(watchEvent).describe('the last 1000 events, oldest first'),
  dropped: z.number().int().describe('older events left out'),
});

const domain = z.object({
  domainId: z.string(),
  host: z.string(),
  https: z.boolean(),
  certificateType: z.string().optional(),
  serviceName: z.string().optional(),
  port: z.number().int().optional(),
  path: z.string().optional(),
});

const settings = z.object({
  host: z.string(),
  https: z.boolean(),
  certificateType: z.enum(['letsencrypt', 'none', 'custom']),
  serviceName: z.string().optional(),
  port: z.number().int().optional(),
  path: z.string().optional(),
  customCertResolver: z.string().optional(),
});

const note = z.object({ code: z.string(), message: z.string(), fix: z.string().optional() });

/** selfhost's planDomainChange, shown before every change. */
const domainPlan = z
  .object({
    summary: z.string(),
    ok: z.boolean().describe('no blocker: the change can be made'),
    noop: z.boolean(),
    before: settings.optional(),
    after: settings.optional().describe('exactly what the change writes'),
    changes: z.array(
      z.object({ field: z.string(), from: z.unknown().optional(), to: z.unknown().optional() }),
    ),
    needsRedeploy: z.boolean(),
    redeploy: z.boolean(),
    letsEncrypt: z
      .object({
        host: z.string(),
        reachable: z.boolean(),
        address: z.string().optional(),
        range: z.string().optional(),
        reason: z.string(),
      })
      .optional(),
    blockers: z.array(note),
    warnings: z.array(note),
    steps: z.array(z.string()),
    domains: z.array(z.string()).describe("the compose's domains before the change"),
  })
  .describe('the plan (planDomainChange)');

const domainDryRun = z.object({
  instance: z.string(),
  composeId: z.string(),
  action: z.enum(['add', 'update', 'remove']),
  dryRun: z.literal(true),
  plan: domainPlan,
});

const domainApplied = z.object({
  instance: z.string(),
  composeId: z.string(),
  action: z.enum(['add', 'update', 'remove']),
  dryRun: z.literal(false),
  plan: domainPlan,
  domain,
  effective: z.boolean().describe('Traefik routes by it now (only after a redeploy)'),
  needsRedeploy: z.boolean(),
  message: z.string(),
  deploymentId: z.string().optional(),
  validation: validation.optional(),
  historyDir: z.string(),
});

const domainChange = z.discriminatedUnion('dryRun', [domainDryRun, domainApplied]);

const logLine = z.object({
  service: z.string(),
  timestamp: z.string().optional(),
  text: z.string(),
});

const diffStatus = z.enum(['added', 'removed', 'changed', 'unchanged']);

const supabaseInstance = z.object({
  instance: z.string().describe('the Dokploy server (its dokployServers key)'),
  composeId: z.string(),
  name: z.string(),
  appName: z.string(),
  projectName: z.string(),
  environmentName: z.string().nullable(),
  status: z.string(),
  lastDeployment: z.object({ status: z.string(), createdAt: z.string().optional() }).optional(),
  publicUrl: z.string().optional(),
  domains: z.array(
    z.object({ host: z.string(), https: z.boolean(), serviceName: z.string().optional() }),
  ),
  markers: z.array(z.string()),
  configName: z.string().optional().describe('the config instance pointing at it'),
  registered: z.boolean().optional().describe('added by this run'),
});

export const DAY2_SCHEMAS = {
  health: z.union([healthReport, healthWatch]),
  logs: z.discriminatedUnion('source', [
    z.object({
      instance: z.string(),
      source: z.literal('dokploy').describe("the compose's containers (Dokploy readLogs)"),
      composeId: z.string(),
      lines: z.array(logLine),
      sources: z.array(
        z.object({
          service: z.string(),
          containerId: z.string().optional(),
          lines: z.number().int(),
          unavailable: z.string().optional(),
        }),
      ),
    }),
    z.object({
      instance: z.string(),
      source: z.literal('sandbox').describe("the local sandbox server's log file"),
      logFile: z.string(),
      truncated: z.boolean().describe('older lines that might match were not read'),
      lines: z.array(logLine),
      sources: z.array(z.object({ service: z.literal('postgres'), lines: z.number().int() })),
    }),
  ]),
  'domain-add': domainChange,
  'domain-update': domainChange,
  'domain-remove': domainChange,
  'logs-follow': z
    .discriminatedUnion('type', [
      logLine.extend({ type: z.literal('line') }),
      z.object({
        type: z.literal('end'),
        instance: z.string(),
        composeId: z.string(),
        endedBy: z.enum(['signal', 'duration', 'streams-closed']),
        lines: z.number().int().describe('lines written before this one'),
        sources: z.array(
          z.object({
            service: z.string(),
            containerId: z.string().optional(),
            lines: z.number().int(),
            failed: z.string().optional().describe('why the stream could not open or ended early'),
            closeCode: z.number().int().optional(),
          }),
        ),
      }),
    ])
    .describe(
      'One line of `logs --follow --json` (JSON lines): a log line as it arrives, then the end',
    ),
  'domain-check': z.object({
    ok: z.boolean().describe('no certificate expired, expiring or unreadable'),
    domains: z.array(
      z.object({
        host: z.string(),
        ok: z.boolean(),
        certificate: z
          .object({
            host: z.string(),
            port: z.number().int(),
            validFrom: z.string(),
            validTo: z.string(),
            daysLeft: z.number().int(),
            expired: z.boolean(),
            warning: z.boolean(),
            subject: z.string().optional(),
            issuer: z.string().optional(),
            selfSigned: z.boolean(),
            trusted: z.boolean(),
            trustError: z.string().optional(),
            message: z.string(),
          })
          .optional(),
        error: z.object({ code: z.string(), message: z.string() }).optional(),
      }),
    ),
  }),
  rollback: z.object({
    instance: z.string(),
    composeId: z.string(),
    target: z.object({
      recordId: z.string(),
      kind: z.enum(['compose.env', 'compose.file']),
      actor: z.string(),
      at: z.string(),
    }),
    dryRun: z.boolean(),
    applied: z.boolean(),
    diff: z
      .object({
        entries: z.array(
          z.object({
            key: z.string(),
            status: diffStatus,
            left: z.string().optional().describe('secrets masked'),
            right: z.string().optional(),
            secret: z.boolean(),
            templated: z.boolean(),
          }),
        ),
        summary: z.record(diffStatus, z.number().int()),
      })
      .optional()
      .describe('current → restored, for an env rollback'),
    effective: z.boolean(),
    needsRedeploy: z.boolean(),
    recordId: z.string().optional(),
    deploymentId: z.string().optional(),
    validation: validation.optional(),
    historyDir: z.string(),
  }),
  'instances-discover': z.object({
    servers: z.array(z.string()),
    instances: z.array(supabaseInstance),
    errors: z.array(z.object({ instance: z.string(), message: z.string() })),
    composesScanned: z.number().int(),
    registered: z.array(z.string()),
  }),
};
