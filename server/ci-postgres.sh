#!/bin/sh
# Runs the server suite against a throwaway PostgreSQL 15 cluster on a loopback port (scripts/pg-cluster.ts), as well
# as on SQLite and PGlite. Each test's store is a schema of its own in that cluster (`scratch=1`, server/store.ts).
# Needs Node 22 on PATH: `scripts/with-node22 server/ci-postgres.sh`. GF_PG_PORT picks the first port tried; extra
# arguments go to vitest (`-t PostgreSQL` runs only the PostgreSQL cases).
set -eu
cd "$(dirname "$0")/.."
exec node scripts/pg-cluster.ts npx vitest run --project core server/ "$@"
