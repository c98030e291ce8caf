// webhooks.sql for the bundled template, written by supaops from the documented behaviour of
// database webhooks: a trigger function `supabase_functions.http_request(url, method, headers,
// params, timeout_ms)` that sends the changed row over pg_net and logs each request in
// `supabase_functions.hooks`. Mounted as /docker-entrypoint-initdb.d/init-scripts/98-webhooks.sql
// (first boot, psql as the superuser `postgres`, before roles.sql sets the role's password).

/** `/volumes/db/webhooks.sql`: the schema, role, log table and trigger function of webhooks. */
export const WEBHOOKS_SQL = `-- Database webhooks of the supaops bundled Supabase template (written by supaops).
-- A webhook is a trigger calling
--   supabase_functions.http_request('<url>', 'POST'|'GET', '<headers json>', '<params json>', '<timeout ms>')
-- It sends {type, table, schema, record, old_record} as the JSON body (POST) or only the
-- params (GET) through pg_net, asynchronously, and logs the pg_net request id in
-- supabase_functions.hooks.
BEGIN;

-- pg_net ships with the supabase/postgres image; its functions live in the schema net
DO $webhooks$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_net') THEN
    CREATE SCHEMA IF NOT EXISTS extensions;
    CREATE EXTENSION IF NOT EXISTS pg_net WITH SCHEMA extensions;
  ELSE
    RAISE WARNING 'webhooks.sql: the pg_net extension is not available on this server; database webhooks will fail until it is installed';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'supabase_functions_admin') THEN
    CREATE ROLE supabase_functions_admin NOINHERIT CREATEROLE LOGIN NOREPLICATION;
  END IF;
END
$webhooks$;

CREATE SCHEMA IF NOT EXISTS supabase_functions AUTHORIZATION supabase_admin;
GRANT USAGE ON SCHEMA supabase_functions TO postgres, anon, authenticated, service_role;
GRANT ALL ON SCHEMA supabase_functions TO supabase_functions_admin;

CREATE TABLE IF NOT EXISTS supabase_functions.hooks (
  id bigserial PRIMARY KEY,
  hook_table_id integer NOT NULL,
  hook_name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  request_id bigint
);
COMMENT ON TABLE supabase_functions.hooks IS 'One row per database webhook request sent through pg_net.';
CREATE INDEX IF NOT EXISTS supabase_functions_hooks_request_id_idx ON supabase_functions.hooks (request_id);
CREATE INDEX IF NOT EXISTS supabase_functions_hooks_h_table_id_h_name_idx ON supabase_functions.hooks (hook_table_id, hook_name);

CREATE OR REPLACE FUNCTION supabase_functions.http_request()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = supabase_functions
AS $http_request$
DECLARE
  v_url text := TG_ARGV[0];
  v_method text := upper(coalesce(TG_ARGV[1], 'POST'));
  v_headers jsonb := coalesce(nullif(TG_ARGV[2], ''), '{}')::jsonb;
  v_params jsonb := coalesce(nullif(TG_ARGV[3], ''), '{}')::jsonb;
  v_timeout_ms integer := coalesce(nullif(TG_ARGV[4], ''), '1000')::integer;
  v_payload jsonb;
  v_request_id bigint;
BEGIN
  IF v_url IS NULL OR v_url = '' THEN
    RAISE EXCEPTION 'supabase_functions.http_request: the trigger gives no url (first argument)';
  END IF;
  v_payload := jsonb_build_object(
    'type', TG_OP,
    'table', TG_TABLE_NAME,
    'schema', TG_TABLE_SCHEMA,
    'record', CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END,
    'old_record', CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END
  );
  IF v_method = 'GET' THEN
    SELECT net.http_get(url => v_url, params => v_params, headers => v_headers,
                        timeout_milliseconds => v_timeout_ms)
      INTO v_request_id;
  ELSIF v_method = 'POST' THEN
    SELECT net.http_post(url => v_url, body => v_payload, params => v_params, headers => v_headers,
                         timeout_milliseconds => v_timeout_ms)
      INTO v_request_id;
  ELSE
    RAISE EXCEPTION 'supabase_functions.http_request: method % is not supported (GET or POST)', v_method;
  END IF;
  INSERT INTO supabase_functions.hooks (hook_table_id, hook_name, request_id)
  VALUES (TG_RELID::integer, TG_NAME, v_request_id);
  RETURN coalesce(NEW, OLD);
END
$http_request$;

ALTER TABLE supabase_functions.hooks OWNER TO supabase_functions_admin;
ALTER SEQUENCE supabase_functions.hooks_id_seq OWNER TO supabase_functions_admin;
ALTER FUNCTION supabase_functions.http_request() OWNER TO supabase_functions_admin;
REVOKE ALL ON FUNCTION supabase_functions.http_request() FROM PUBLIC;
-- postgres (Studio) creates the webhook triggers; the function itself writes the log as its owner
GRANT EXECUTE ON FUNCTION supabase_functions.http_request() TO postgres, service_role;
GRANT ALL ON TABLE supabase_functions.hooks TO postgres, service_role;
GRANT ALL ON SEQUENCE supabase_functions.hooks_id_seq TO postgres, service_role;

-- the function runs as its owner: it needs pg_net's functions where pg_net is installed
DO $net$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'net') THEN
    GRANT USAGE ON SCHEMA net TO supabase_functions_admin, postgres;
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA net TO supabase_functions_admin, postgres;
  END IF;
END
$net$;

COMMIT;
`;
