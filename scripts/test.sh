#!/usr/bin/env bash
# Runs the whole suite on a throwaway PostgreSQL cluster and removes it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/pg.sh start)"
trap 'scripts/pg.sh stop "$PG_TMP"' EXIT
# The reference openai-whisper engine is installed by `make test`: its tests must run, never skip.
export BANGBAN_REQUIRE_OPENAI_WHISPER=1
echo "==> running pytest on $DATABASE_URL"
.venv/bin/python -m pytest "$@"
