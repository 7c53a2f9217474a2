#!/usr/bin/env bash
# Helpers shared by the throwaway-server scripts (.ci/postgres.sh, .ci/redis.sh); sourced by them.

# Prints a TCP port on 127.0.0.1 that nothing listens on.
paperbot_free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}
