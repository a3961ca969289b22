#!/usr/bin/env bash
# Benchmarks print figures; they run against a throwaway PostgreSQL cluster and Elasticsearch node, seeded with
# the demo content.
set -euo pipefail
cd "$(dirname "$0")/.."
cleanup() {
  [ -n "${ES_TMP:-}" ] && scripts/es.sh stop "$ES_TMP"
  [ -n "${ES_ZH_TMP:-}" ] && scripts/es.sh stop "$ES_ZH_TMP"
  [ -n "${PG_TMP:-}" ] && scripts/pg.sh stop "$PG_TMP"
  [ -n "${REDIS_TMP:-}" ] && scripts/redis.sh stop "$REDIS_TMP"
  [ -n "${MEDIA_DIR:-}" ] && rm -rf "$MEDIA_DIR"
}
trap cleanup EXIT
eval "$(scripts/pg.sh start)"
eval "$(scripts/es.sh start)"
eval "$(scripts/redis.sh start)"
MEDIA_DIR=$(mktemp -d /tmp/bangban-bench-media.XXXXXX)
export MEDIA_DIR
export WHISPER_CACHE_DIR=${WHISPER_CACHE_DIR:-/tmp/bangban-whisper-cache}
export LOG_LEVEL=WARNING
PY=.venv/bin/python
$PY manage.py migrate --no-input -v 0
echo "==> seeding the demo content (renders and transcribes the demo video)"
$PY manage.py seed_demo >/dev/null
for bench in page_weight step_video lighthouse whisper_speed pipeline_overhead pii_detect search_relevance package_build; do
  echo "==> bench/$bench.py"
  $PY -m "bench.$bench"
done
echo "==> bench/search_relevance.py again, on a node with the smartcn analyzer (its zh sub-fields in use)"
eval "$(ES_PLUGINS=smartcn ES_EXPORT_AS=ZH scripts/es.sh start)"
ELASTICSEARCH_URL=$ELASTICSEARCH_ZH_URL $PY -m bench.search_relevance
scripts/es.sh stop "$ES_ZH_TMP"
ES_ZH_TMP=""
echo "==> bench/search_speed.py"
$PY -m bench.search_speed
# The training benchmarks work in databases of their own on the same server (created and dropped by them).
for bench in training_dashboard training_load; do
  echo "==> bench/$bench.py"
  $PY -m "bench.$bench"
done
