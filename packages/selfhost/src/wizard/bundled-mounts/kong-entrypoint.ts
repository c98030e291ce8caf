import { KONG_TEMPLATE_VARIABLES } from './kong-yml.js';

// kong-entrypoint.sh for the bundled template, written by supaops. The compose runs it with
// bash as kong's entrypoint; it is plain POSIX sh (no `${`, which Dokploy would expand at
// import) so the tests run it with sh.

/** `/volumes/api/kong-entrypoint.sh`: renders kong.yml from the env, then starts Kong. */
export const KONG_ENTRYPOINT_SH = String.raw`#!/bin/sh
# Kong entrypoint of the supaops bundled Supabase template (written by supaops).
# Renders the declarative config template (KONG_CONFIG_TEMPLATE, default /home/kong/temp.yml)
# into KONG_DECLARATIVE_CONFIG (default /usr/local/kong/kong.yml): each $NAME of the names below
# becomes that env value, escaped for a double-quoted string; "- key:" lines left empty (the
# opaque publishable/secret keys when they are not set) are dropped, so the gateway then knows
# the legacy JWT keys only. Then it starts Kong (or runs the arguments given instead).
set -e

template="$KONG_CONFIG_TEMPLATE"
[ -n "$template" ] || template=/home/kong/temp.yml
output="$KONG_DECLARATIVE_CONFIG"
[ -n "$output" ] || output=/usr/local/kong/kong.yml

fail() {
  echo "kong-entrypoint: $1" >&2
  exit 1
}

[ -r "$template" ] || fail "cannot read the config template $template (the kong.yml mount)"
for name in SUPABASE_ANON_KEY SUPABASE_SERVICE_KEY DASHBOARD_USERNAME DASHBOARD_PASSWORD; do
  eval "value=\"\$$name\""
  [ -n "$value" ] || fail "$name is empty: set it in the compose's env (ANON_KEY, SERVICE_ROLE_KEY, DASHBOARD_*) and redeploy"
done
if [ -n "$SUPABASE_PUBLISHABLE_KEY" ] && [ -z "$ANON_KEY_ASYMMETRIC" ]; then
  fail "SUPABASE_PUBLISHABLE_KEY is set but ANON_KEY_ASYMMETRIC is empty: set both or neither"
fi
if [ -n "$SUPABASE_SECRET_KEY" ] && [ -z "$SERVICE_ROLE_KEY_ASYMMETRIC" ]; then
  fail "SUPABASE_SECRET_KEY is set but SERVICE_ROLE_KEY_ASYMMETRIC is empty: set both or neither"
fi
if [ -z "$SUPABASE_PUBLISHABLE_KEY" ] && [ -z "$SUPABASE_SECRET_KEY" ]; then
  echo "kong-entrypoint: no publishable/secret key set: legacy JWT keys only" >&2
fi

mkdir -p "$(dirname "$output")"
awk -v names="${KONG_TEMPLATE_VARIABLES.join(' ')}" '
function quote(v,    r, i, c) {
  r = ""
  for (i = 1; i <= length(v); i++) {
    c = substr(v, i, 1)
    if (c == "\\" || c == "\"") r = r "\\"
    r = r c
  }
  return r
}
BEGIN {
  n = split(names, list, " ")
  for (i = 1; i <= n; i++) wanted[list[i]] = 1
}
{
  rest = $0
  out = ""
  while ((p = index(rest, "$")) > 0) {
    out = out substr(rest, 1, p - 1)
    rest = substr(rest, p + 1)
    if (match(rest, /^[A-Z_][A-Z0-9_]*/) && (substr(rest, 1, RLENGTH) in wanted)) {
      out = out quote(ENVIRON[substr(rest, 1, RLENGTH)])
      rest = substr(rest, RLENGTH + 1)
    } else {
      out = out "$"
    }
  }
  out = out rest
  if (out ~ /^[ \t]*- key: ""[ \t]*$/) next
  print out
}
' "$template" > "$output.tmp"
mv "$output.tmp" "$output"

if [ "$#" -gt 0 ]; then
  exec "$@"
fi
exec /docker-entrypoint.sh kong docker-start
`;
