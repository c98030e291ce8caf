#!/usr/bin/env bash
# The whole check, as the README's test command runs it: lint, build, typecheck,
# package checks (publint, attw), every test with coverage, then one summary line.
set -uo pipefail
cd "$(dirname "$0")/../.."

find packages apps tooling -maxdepth 2 -name test-results.json -delete 2>/dev/null || true

status=0
pnpm run lint || status=1
pnpm run check:changesets || status=1
pnpm exec turbo run build typecheck check:package --continue || status=1
# one package at a time: each starts its own PostgreSQL, and the machine has 2 cores
pnpm exec turbo run test --concurrency=1 --continue || status=1
node tooling/scripts/test-summary.mjs || status=1
exit $status
