// kong.yml for the bundled template, written by supaops from the documented gateway behaviour
// (shared/reference/dokploy.md §3.4) and the services of BUNDLED_COMPOSE_FILE. kong-entrypoint.sh
// replaces each $NAME of KONG_TEMPLATE_VARIABLES with the env value (escaped for a "…" string)
// and drops `- key: ""` lines, so the new opaque keys are optional. No `${`: Dokploy expands
// `${…}` in mount contents at import.

/** The env names kong-entrypoint.sh substitutes into kong.yml (all set on the kong service). */
export const KONG_TEMPLATE_VARIABLES = [
  'SUPABASE_ANON_KEY',
  'SUPABASE_SERVICE_KEY',
  'SUPABASE_PUBLISHABLE_KEY',
  'SUPABASE_SECRET_KEY',
  'ANON_KEY_ASYMMETRIC',
  'SERVICE_ROLE_KEY_ASYMMETRIC',
  'DASHBOARD_USERNAME',
  'DASHBOARD_PASSWORD',
] as const;

// Kong matches key-auth by plain string and never checks the JWT: the services behind it do,
// with the Authorization bearer. Clients that send only `apikey` (or an opaque sb_ key as the
// bearer) get it filled in: a legacy key is itself the JWT, a publishable or secret key maps to
// its pre-signed asymmetric JWT. The credential comes from key-auth where the route has it,
// because hide_credentials removes the header before this runs.
const AUTHORIZATION_LUA = [
  'local publishable = "$SUPABASE_PUBLISHABLE_KEY"',
  'local secret = "$SUPABASE_SECRET_KEY"',
  'local bearer = kong.request.get_header("authorization")',
  'if bearer == nil or string.sub(bearer, 1, 10) == "Bearer sb_" then',
  '  local credential = kong.client.get_credential()',
  '  local key = credential and credential.key',
  '  if key == nil then',
  '    key = kong.request.get_header("apikey") or kong.request.get_query_arg("apikey")',
  '  end',
  '  if type(key) == "string" and key ~= "" then',
  '    if publishable ~= "" and key == publishable then',
  '      kong.service.request.set_header("Authorization", "Bearer $ANON_KEY_ASYMMETRIC")',
  '    elseif secret ~= "" and key == secret then',
  '      kong.service.request.set_header("Authorization", "Bearer $SERVICE_ROLE_KEY_ASYMMETRIC")',
  '    elseif string.sub(key, 1, 3) ~= "sb_" then',
  '      kong.service.request.set_header("Authorization", "Bearer " .. key)',
  '    end',
  '  end',
  'end',
];

// Realtime takes its tenant from the first label of the Host it is called with; the stack's
// tenant is the seeded `realtime-dev` (SEED_SELF_HOST), also what its healthcheck asks for.
const REALTIME_HOST_LUA = [
  'kong.service.request.set_header("Host", "realtime-dev.supabase-realtime")',
];

function postFunction(indent: string, lua: readonly string[]): string {
  const body = lua.map((l) => `${indent}        ${l}`).join('\n');
  return `${indent}- name: post-function\n${indent}  config:\n${indent}    access:\n${indent}      - |\n${body}`;
}

const keyAuth = (hide: boolean) =>
  `      - name: key-auth\n        config:\n          hide_credentials: ${hide}`;
const acl = (groups: string) =>
  `      - name: acl\n        config:\n          hide_groups_header: true\n          allow: [${groups}]`;

/** One service with one route: `paths` (prefixes), strip_path on unless said otherwise. */
function service(
  name: string,
  url: string,
  paths: string[],
  plugins: string[] = [],
  stripPath = true,
): string {
  const lines = [
    `  - name: ${name}`,
    `    url: ${url}`,
    '    routes:',
    `      - name: ${name}`,
    `        strip_path: ${stripPath}`,
    '        paths:',
    ...paths.map((p) => `          - ${p}`),
  ];
  if (plugins.length > 0) lines.push('    plugins:', ...plugins);
  return lines.join('\n');
}

const services = [
  // GoTrue endpoints a browser or an identity provider reaches without an apikey
  service('auth-v1-open-verify', 'http://auth:9999/verify', ['/auth/v1/verify']),
  service('auth-v1-open-callback', 'http://auth:9999/callback', ['/auth/v1/callback']),
  service('auth-v1-open-authorize', 'http://auth:9999/authorize', ['/auth/v1/authorize']),
  service('auth-v1-open-jwks', 'http://auth:9999/.well-known/jwks.json', [
    '/auth/v1/.well-known/jwks.json',
  ]),
  service('auth-v1-open-sso', 'http://auth:9999/sso/saml/', ['/sso/saml/', '/auth/v1/sso/saml/']),
  service('auth-v1', 'http://auth:9999/', ['/auth/v1/'], [keyAuth(false), acl('admin, anon')]),
  service('rest-v1', 'http://rest:3000/', ['/rest/v1/'], [keyAuth(true), acl('admin, anon')]),
  service(
    'graphql-v1',
    'http://rest:3000/rpc/graphql',
    ['/graphql/v1'],
    [
      keyAuth(true),
      '      - name: request-transformer\n        config:\n          add:\n            headers:\n              - "Content-Profile: graphql_public"',
      acl('admin, anon'),
    ],
  ),
  // the websocket sends its apikey as a query parameter, which realtime reads again
  service(
    'realtime-v1-ws',
    'http://realtime:4000/socket',
    ['/realtime/v1/'],
    [
      keyAuth(false),
      acl('admin, anon'),
      postFunction('      ', [...AUTHORIZATION_LUA, ...REALTIME_HOST_LUA]),
    ],
  ),
  service(
    'realtime-v1-rest',
    'http://realtime:4000/api',
    ['/realtime/v1/api'],
    [
      keyAuth(false),
      acl('admin, anon'),
      postFunction('      ', [...AUTHORIZATION_LUA, ...REALTIME_HOST_LUA]),
    ],
  ),
  // storage and the functions check the bearer themselves (signed URLs, public buckets and
  // functions deployed with verification off need no apikey)
  service('storage-v1', 'http://storage:5000/', ['/storage/v1/']),
  service('functions-v1', 'http://functions:9000/', ['/functions/v1/']),
  // pg-meta runs any SQL as supabase_admin: the service_role key only
  service('meta', 'http://meta:8080/', ['/pg/'], [keyAuth(true), acl('admin')]),
  // Studio's MCP endpoint would give whoever reaches it the database: closed unless opened
  service(
    'mcp-blocked',
    'http://studio:3000/api/mcp',
    ['/mcp'],
    [
      '      - name: request-termination\n        config:\n          status_code: 403\n          message: "The MCP endpoint is disabled on this server. Edit /volumes/api/kong.yml (the mcp-blocked service) to open it, for example with ip-restriction, then redeploy."',
    ],
  ),
  // everything else is Studio, behind the dashboard's basic auth
  service(
    'dashboard',
    'http://studio:3000',
    ['/'],
    ['      - name: basic-auth\n        config:\n          hide_credentials: true'],
    false,
  ),
];

/** `/volumes/api/kong.yml`, mounted at /home/kong/temp.yml: Kong's declarative config template. */
export const KONG_YML = `# Kong declarative config of the supaops bundled Supabase template (written by supaops).
# kong-entrypoint.sh fills in every $NAME below from the kong service's env and writes the
# result to KONG_DECLARATIVE_CONFIG; empty "- key:" lines (opaque keys not in use) are dropped.
_format_version: "3.0"
_transform: true

consumers:
  - username: DASHBOARD
  - username: anon
    keyauth_credentials:
      - key: "$SUPABASE_ANON_KEY"
      - key: "$SUPABASE_PUBLISHABLE_KEY"
  - username: service_role
    keyauth_credentials:
      - key: "$SUPABASE_SERVICE_KEY"
      - key: "$SUPABASE_SECRET_KEY"

acls:
  - consumer: anon
    group: anon
  - consumer: service_role
    group: admin

basicauth_credentials:
  - consumer: DASHBOARD
    username: "$DASHBOARD_USERNAME"
    password: "$DASHBOARD_PASSWORD"

# On every route (a route's own post-function replaces this one, so realtime repeats it).
plugins:
  - name: cors
${postFunction('  ', AUTHORIZATION_LUA)}

services:
${services.join('\n\n')}
`;
