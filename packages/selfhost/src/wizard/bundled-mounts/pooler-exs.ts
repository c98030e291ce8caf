// pooler.exs for the bundled template, written by supaops from Supavisor's documented tenant
// settings (shared/reference/dokploy.md §3.6). The supavisor service runs it with
// `/app/bin/supavisor eval "$(cat /etc/pooler/pooler.exs)"` after its migrations and before
// the server starts, on every start, so it only creates what is missing.

/** The supavisor env pooler.exs reads (all set on the supavisor service). */
export const POOLER_ENV = [
  'POOLER_TENANT_ID',
  'POOLER_DEFAULT_POOL_SIZE',
  'POOLER_MAX_CLIENT_CONN',
  'POOLER_POOL_MODE',
  'POSTGRES_HOST',
  'POSTGRES_PORT',
  'POSTGRES_DB',
  'POSTGRES_PASSWORD',
] as const;

/** `/volumes/pooler/pooler.exs`: the one Supavisor tenant of the stack. */
export const POOLER_EXS = `# Supavisor tenant of the supaops bundled Supabase template (written by supaops).
# One tenant, external_id POOLER_TENANT_ID: clients connect as postgres.<POOLER_TENANT_ID> on
# 5432 (session) or 6543 (transaction). require_user is false, so any database user may connect:
# Supavisor looks its password up with the auth_query, run as the manager user pgbouncer.
# Runs on every start and creates the tenant only when it is missing: pool sizes and the mode
# apply to a new tenant; change an existing one through Supavisor's API (PUT /api/tenants/<id>).
{:ok, _} = Application.ensure_all_started(:supavisor)

env = fn name ->
  case System.get_env(name) do
    nil -> raise "pooler.exs: " <> name <> " is not set in the supavisor service env"
    "" -> raise "pooler.exs: " <> name <> " is empty in the supavisor service env"
    value -> value
  end
end

tenant_id = env.("POOLER_TENANT_ID")
pool_size = String.to_integer(env.("POOLER_DEFAULT_POOL_SIZE"))
max_clients = String.to_integer(env.("POOLER_MAX_CLIENT_CONN"))
mode = env.("POOLER_POOL_MODE")
db_host = env.("POSTGRES_HOST")
db_port = String.to_integer(env.("POSTGRES_PORT"))
db_name = env.("POSTGRES_DB")
password = env.("POSTGRES_PASSWORD")

if mode not in ["transaction", "session"] do
  raise "pooler.exs: POOLER_POOL_MODE is " <> mode <> ", expected transaction or session"
end

# a new tenant reports the server's real version to clients; connecting as the manager user
# also proves its password before any client needs it
server_version = fn ->
  {:ok, conn} =
    Postgrex.start_link(
      hostname: db_host,
      port: db_port,
      database: db_name,
      username: "pgbouncer",
      password: password
    )

  %Postgrex.Result{rows: [[version]]} = Postgrex.query!(conn, "SHOW server_version", [])
  GenServer.stop(conn)
  version
end

params = fn ->
  %{
    "external_id" => tenant_id,
    "db_host" => db_host,
    "db_port" => db_port,
    "db_database" => db_name,
    "require_user" => false,
    "auth_query" => "SELECT * FROM pgbouncer.get_auth($1)",
    "default_max_clients" => max_clients,
    "default_pool_size" => pool_size,
    "default_parameter_status" => %{"server_version" => server_version.()},
    "users" => [
      %{
        "db_user" => "pgbouncer",
        "db_password" => password,
        "mode_type" => mode,
        "pool_size" => pool_size,
        "is_manager" => true
      }
    ]
  }
end

case Supavisor.Tenants.get_tenant_by_external_id(tenant_id) do
  nil ->
    {:ok, _tenant} = Supavisor.Tenants.create_tenant(params.())
    IO.puts("pooler.exs: created tenant " <> tenant_id)

  _tenant ->
    IO.puts("pooler.exs: tenant " <> tenant_id <> " exists")
end
`;
