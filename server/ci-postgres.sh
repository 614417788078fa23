#!/bin/sh
# Runs the server suite against a throwaway PostgreSQL 15 cluster on a loopback port (Debian's binaries), as well as
# on SQLite and PGlite. Each test's store is a schema of its own in that cluster (`scratch=1`, server/store.ts).
# Needs Node 22 on PATH: `scripts/with-node22 server/ci-postgres.sh`. GF_PG_PORT picks the first port tried; extra
# arguments go to vitest (`-t PostgreSQL` runs only the PostgreSQL cases).
set -eu
cd "$(dirname "$0")/.."
BIN=/usr/lib/postgresql/15/bin
[ -x "$BIN/initdb" ] || { echo "ci-postgres: $BIN/initdb missing (apt-get install postgresql-15)" >&2; exit 1; }
DIR=$(mktemp -d /tmp/gf-pg.XXXXXX)
RUN_AS=""
# initdb refuses to run as root: the cluster then belongs to Debian's postgres user.
if [ "$(id -u)" = "0" ]; then
  chown postgres "$DIR"
  RUN_AS="runuser -u postgres --"
fi
cleanup() {
  $RUN_AS "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
$RUN_AS "$BIN/initdb" -D "$DIR/data" -U gf --auth=trust --no-sync --encoding=UTF8 >"$DIR/initdb.log" 2>&1 ||
  { cat "$DIR/initdb.log" >&2; exit 1; }
# A throwaway cluster: durability off, loopback only, socket in the temporary folder. The next port is tried when
# one is taken (another run on the same machine).
PORT=${GF_PG_PORT:-55432}
LAST=$((PORT + 20))
until $RUN_AS "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -t 30 start \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  >/dev/null 2>&1; do
  if [ "$PORT" -ge "$LAST" ]; then
    cat "$DIR/log" >&2
    exit 1
  fi
  PORT=$((PORT + 1))
done
echo "ci-postgres: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
GF_TEST_PG_URL="postgres://gf@127.0.0.1:$PORT/postgres?scratch=1" npx vitest run --project core server/ "$@"
