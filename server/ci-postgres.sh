#!/bin/sh
# Runs the server suite against a throwaway PostgreSQL 15 cluster on a loopback port (Debian's binaries).
set -eu
BIN=/usr/lib/postgresql/15/bin
PORT=${GF_PG_PORT:-55432}
DIR=$(mktemp -d /tmp/gf-pg.XXXXXX)
RUN_AS=""
if [ "$(id -u)" = "0" ]; then chown postgres "$DIR"; RUN_AS="runuser -u postgres --"; fi
cleanup() { $RUN_AS "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$DIR"; }
trap cleanup EXIT
$RUN_AS "$BIN/initdb" -D "$DIR/data" -U gf --auth=trust >/dev/null
$RUN_AS "$BIN/pg_ctl" -D "$DIR/data" -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1" -l "$DIR/log" -w start >/dev/null
GF_TEST_PG_URL="postgres://gf@127.0.0.1:$PORT/postgres" npx vitest run --project core server/
