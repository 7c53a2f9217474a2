#!/usr/bin/env bash
# A throwaway Redis 7 on loopback for the shared Discord-limit tests (sourced by .ci/run; also by hand:
#   source .ci/redis.sh && paperbot_redis_start   ...   paperbot_redis_stop).
# paperbot_redis_start installs Debian's redis-server when it is missing (apt-get, noninteractive), starts it on
# 127.0.0.1 and a free port with no persistence, in a temp dir, and exports PAPERBOT_TEST_REDIS (host:port).
# The package's own service is stopped; the suite does not use it.

paperbot_redis_install() {
  if command -v redis-server >/dev/null 2>&1; then
    return 0
  fi
  echo "redis: installing Debian's redis-server (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  if [ "$(id -u)" -ne 0 ]; then
    echo "redis: redis-server is missing and this is not root: install redis-server 7 first" >&2
    return 1
  fi
  (apt-get install -y -q redis-server >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q redis-server >/dev/null; }) || return 1
  if command -v service >/dev/null 2>&1; then service redis-server stop >/dev/null 2>&1 || true; fi
  command -v redis-server >/dev/null 2>&1
}

# shellcheck source=.ci/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

paperbot_redis_start() {
  paperbot_redis_install || return 1
  PAPERBOT_REDIS_DIR=$(mktemp -d /tmp/paperbot-redis.XXXXXX)
  local port
  port=$(paperbot_free_port) || { echo "redis: no free port" >&2; return 1; }
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --dir "$PAPERBOT_REDIS_DIR" \
    --daemonize yes --pidfile "$PAPERBOT_REDIS_DIR/redis.pid" --logfile "$PAPERBOT_REDIS_DIR/redis.log" || return 1
  for _ in $(seq 1 100); do
    if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
      export PAPERBOT_REDIS_DIR
      export PAPERBOT_TEST_REDIS="127.0.0.1:$port"
      echo "redis: throwaway server on 127.0.0.1:$port ($PAPERBOT_REDIS_DIR)" >&2
      return 0
    fi
    sleep 0.1
  done
  cat "$PAPERBOT_REDIS_DIR/redis.log" >&2
  return 1
}

paperbot_redis_stop() {
  if [ -n "${PAPERBOT_REDIS_DIR:-}" ] && [ -f "$PAPERBOT_REDIS_DIR/redis.pid" ]; then
    kill "$(cat "$PAPERBOT_REDIS_DIR/redis.pid")" 2>/dev/null || true
    sleep 0.2
    rm -rf "$PAPERBOT_REDIS_DIR"
  fi
  unset PAPERBOT_REDIS_DIR PAPERBOT_TEST_REDIS
}
