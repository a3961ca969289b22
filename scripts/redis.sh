#!/usr/bin/env bash
# A throwaway Redis on 127.0.0.1 (no persistence) for the shared search-answer cache in tests and benchmarks.
# usage: eval "$(scripts/redis.sh start)"   -> prints export lines (SEARCH_CACHE_URL, REDIS_TMP)
#        scripts/redis.sh stop "$REDIS_TMP"
set -euo pipefail
command -v redis-server >/dev/null || { echo "redis-server not found (apt-get install redis-server)" >&2; exit 1; }

case "${1:-}" in
  start)
    tmp=$(mktemp -d /tmp/bangban-redis.XXXXXX)
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    redis-server --bind 127.0.0.1 --port "$port" --dir "$tmp" --save '' --appendonly no --daemonize yes \
      --pidfile "$tmp/redis.pid" --logfile "$tmp/server.log" --maxmemory 256mb --maxmemory-policy allkeys-lru
    for _ in $(seq 50); do
      redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && break
      sleep 0.1
    done
    redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG || { cat "$tmp/server.log" >&2; exit 1; }
    echo "export REDIS_TMP=$tmp"
    echo "export SEARCH_CACHE_URL=redis://127.0.0.1:$port/0"
    echo "==> Redis $(redis-server --version | grep -o 'v=[0-9.]*' | cut -c3-) on 127.0.0.1:$port" >&2
    ;;
  stop)
    tmp=${2:?usage: redis.sh stop DIR}
    if [ -f "$tmp/redis.pid" ]; then
      pid=$(cat "$tmp/redis.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$tmp"
    echo "==> Redis stopped and removed" >&2
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
