#!/usr/bin/env bash
# Runs the whole suite on a throwaway PostgreSQL cluster and removes it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/pg.sh start)"
trap 'scripts/pg.sh stop "$PG_TMP"' EXIT
echo "==> running pytest on $DATABASE_URL"
.venv/bin/python -m pytest "$@"
