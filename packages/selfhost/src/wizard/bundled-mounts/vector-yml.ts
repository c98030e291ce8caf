// vector.yml for the bundled template, written by supaops from the documented log pipeline
// (shared/reference/dokploy.md §2.2, §3.3): Docker's container logs, routed by the compose
// service label, shipped to the analytics service (Logflare) with LOGFLARE_PUBLIC_ACCESS_TOKEN.

/** Compose service → the Logflare source its logs go to (the sources Supabase mode seeds). */
export const VECTOR_ROUTES: Readonly<Record<string, string>> = {
  kong: 'cloudflare.logs.prod',
  auth: 'gotrue.logs.prod',
  rest: 'postgREST.logs.prod',
  realtime: 'realtime.logs.prod',
  storage: 'storage.logs.prod.2',
  functions: 'deno-relay-logs',
  db: 'postgres.logs',
  supavisor: 'supavisor.logs.prod',
};

const routes = Object.keys(VECTOR_ROUTES)
  .map((s) => `      ${s}: '.appname == "supabase-${s}"'`)
  .join('\n');

const sinks = Object.entries(VECTOR_ROUTES)
  .map(([s, source]) =>
    [
      `  logflare_${s}:`,
      '    type: http',
      `    inputs: [router.${s}]`,
      '    encoding:',
      '      codec: json',
      '    method: post',
      '    request:',
      '      retry_max_duration_secs: 10',
      `    uri: http://analytics:4000/api/logs?source_name=${source}&api_key=$LOGFLARE_PUBLIC_ACCESS_TOKEN`,
    ].join('\n'),
  )
  .join('\n');

/** `/volumes/logs/vector.yml`: Vector's config (the vector service runs --config on it). */
export const VECTOR_YML = `# Vector config of the supaops bundled Supabase template (written by supaops).
# Reads every container's logs from the Docker socket, names each event supabase-<compose
# service>, and posts the services' logs to their Logflare source on the analytics service.
# The health endpoint on :9001 is what the vector healthcheck asks.
# Note: Docker gives all containers of the host; the route is by compose service name, so
# another stack on the same host with services of these names feeds this Logflare as well.
api:
  enabled: true
  address: 0.0.0.0:9001

sources:
  docker_host:
    type: docker_logs

transforms:
  project_logs:
    type: remap
    inputs:
      - docker_host
    source: |-
      .project = .label."com.docker.compose.project"
      .service = .label."com.docker.compose.service"
      .appname = "supabase-" + (string(.service) ?? "unknown")
      .event_message = del(.message)
      del(.container_created_at)
      del(.container_id)
      del(.source_type)
      del(.stream)
      del(.label)
      del(.image)
      del(.host)
  router:
    type: route
    inputs:
      - project_logs
    route:
${routes}

sinks:
${sinks}
`;
