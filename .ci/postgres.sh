#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on loopback for the test suite (sourced by .ci/run; also usable by hand:
#   source .ci/postgres.sh && paperbot_pg_start   ...   paperbot_pg_stop).
# paperbot_pg_start installs Debian's postgresql when its binaries are missing (apt-get, noninteractive), runs
# initdb in a temp dir as the unprivileged "postgres" user (initdb refuses root), starts it on 127.0.0.1 and a free
# port with the socket in that dir, and exports PAPERBOT_TEST_POSTGRES (an Npgsql connection string). The cluster
# has trust auth and lives only as long as the temp dir: paperbot_pg_stop stops it and deletes it.

PAPERBOT_PG_BIN=${PAPERBOT_PG_BIN:-/usr/lib/postgresql/15/bin}

paperbot_pg_install() {
  if [ -x "$PAPERBOT_PG_BIN/initdb" ]; then
    return 0
  fi
  echo "postgres: installing Debian's postgresql (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  if [ "$(id -u)" -ne 0 ]; then
    echo "postgres: $PAPERBOT_PG_BIN/initdb is missing and this is not root: install postgresql 15 first" >&2
    return 1
  fi
  (apt-get install -y -q postgresql >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q postgresql >/dev/null; }) || return 1
  # The package starts its own default cluster; the suite does not use it.
  if command -v pg_ctlcluster >/dev/null 2>&1; then pg_ctlcluster 15 main stop >/dev/null 2>&1 || true; fi
  [ -x "$PAPERBOT_PG_BIN/initdb" ]
}

# shellcheck source=.ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

paperbot_pg_start() {
  paperbot_pg_install || return 1
  local user=""
  if [ "$(id -u)" -eq 0 ]; then
    user=postgres
    id -u "$user" >/dev/null 2>&1 || useradd --system --no-create-home "$user" || return 1
  fi
  PAPERBOT_PG_DIR=$(mktemp -d /tmp/paperbot-pg.XXXXXX)
  [ -n "$user" ] && chown "$user" "$PAPERBOT_PG_DIR"
  chmod 700 "$PAPERBOT_PG_DIR"
  local port
  port=$(paperbot_free_port) || { echo "postgres: no free port" >&2; return 1; }
  local run=()
  [ -n "$user" ] && run=(runuser -u "$user" --)
  "${run[@]}" "$PAPERBOT_PG_BIN/initdb" -D "$PAPERBOT_PG_DIR/data" -U paperbot -A trust -E UTF8 --locale=C.UTF-8 >"$PAPERBOT_PG_DIR/initdb.log" 2>&1 \
    || { cat "$PAPERBOT_PG_DIR/initdb.log" >&2; return 1; }
  "${run[@]}" "$PAPERBOT_PG_BIN/pg_ctl" -D "$PAPERBOT_PG_DIR/data" -l "$PAPERBOT_PG_DIR/server.log" -w -t 60 \
    -o "-k $PAPERBOT_PG_DIR -h 127.0.0.1 -p $port -c max_connections=300 -c fsync=off" start >/dev/null \
    || { cat "$PAPERBOT_PG_DIR/server.log" >&2; return 1; }
  PAPERBOT_PG_RUN="${run[*]}"
  export PAPERBOT_PG_DIR PAPERBOT_PG_RUN
  export PAPERBOT_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=paperbot;Database=postgres"
  echo "postgres: throwaway cluster on 127.0.0.1:$port ($PAPERBOT_PG_DIR)" >&2
}

paperbot_pg_stop() {
  if [ -n "${PAPERBOT_PG_DIR:-}" ] && [ -d "$PAPERBOT_PG_DIR/data" ]; then
    # shellcheck disable=SC2086
    $PAPERBOT_PG_RUN "$PAPERBOT_PG_BIN/pg_ctl" -D "$PAPERBOT_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PAPERBOT_PG_DIR"
  fi
  unset PAPERBOT_PG_DIR PAPERBOT_TEST_POSTGRES
}
