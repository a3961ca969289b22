#!/usr/bin/env bash
# Benchmarks print figures; they run against a throwaway PostgreSQL cluster seeded with the demo content.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/pg.sh start)"
trap 'scripts/pg.sh stop "$PG_TMP"' EXIT
export MEDIA_DIR=$(mktemp -d /tmp/bangban-bench-media.XXXXXX)
export WHISPER_CACHE_DIR=${WHISPER_CACHE_DIR:-/tmp/bangban-whisper-cache}
PY=.venv/bin/python
export LOG_LEVEL=WARNING
$PY manage.py migrate --no-input -v 0
$PY manage.py seed_demo >/dev/null
echo "==> bench/page_weight.py"
$PY -m bench.page_weight
echo "==> bench/whisper_speed.py"
$PY -m bench.whisper_speed
echo "==> bench/pipeline_overhead.py"
$PY -m bench.pipeline_overhead
rm -rf "$MEDIA_DIR"
