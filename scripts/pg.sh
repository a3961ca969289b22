#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for the test suite and benchmarks.
# usage: eval "$(scripts/pg.sh start)"   -> prints export lines (DATABASE_URL, PG_TMP)
#        scripts/pg.sh stop "$PG_TMP"
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PGBIN" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

# PostgreSQL refuses to run as root; use an unprivileged service account then.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    id bangban >/dev/null 2>&1 || useradd --system --create-home --home-dir /var/lib/bangban --shell /bin/bash bangban
    runuser -u bangban -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
  start)
    tmp=$(mktemp -d /tmp/bangban-pg.XXXXXX)
    chmod 755 "$tmp"
    [ "$(id -u)" -eq 0 ] && { as_owner true; chown bangban "$tmp"; }
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$PGBIN/initdb" -D "$tmp/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 \
      || { cat "$tmp/initdb.log" >&2; exit 1; }
    # Durability is pointless for a throwaway cluster; these make the suite several times faster.
    as_owner "$PGBIN/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
      -o "-h 127.0.0.1 -p $port -k $tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60" \
      start >/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
    as_owner "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres bangban
    echo "export PG_TMP=$tmp"
    echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$port/bangban"
    echo "==> PostgreSQL $(basename "$(dirname "$PGBIN")") on 127.0.0.1:$port (data in $tmp)" >&2
    ;;
  stop)
    tmp=${2:?usage: pg.sh stop DIR}
    [ -d "$tmp/data" ] && as_owner "$PGBIN/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$tmp"
    echo "==> PostgreSQL stopped and removed" >&2
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
