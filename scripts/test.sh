#!/usr/bin/env bash
# Runs the whole suite on a throwaway PostgreSQL cluster, Elasticsearch node and Redis, and removes them afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
cleanup() {
  [ -n "${ES_TMP:-}" ] && scripts/es.sh stop "$ES_TMP"
  [ -n "${ES_ZH_TMP:-}" ] && scripts/es.sh stop "$ES_ZH_TMP"
  [ -n "${PG_TMP:-}" ] && scripts/pg.sh stop "$PG_TMP"
  [ -n "${REDIS_TMP:-}" ] && scripts/redis.sh stop "$REDIS_TMP"
}
trap cleanup EXIT
eval "$(scripts/pg.sh start)"
eval "$(scripts/es.sh start)"
# A second, small node with a Chinese analysis plugin (smartcn), for the tests of the `zh` sub-fields.
eval "$(ES_PLUGINS=smartcn ES_HEAP=512m ES_EXPORT_AS=ZH scripts/es.sh start)"
eval "$(scripts/redis.sh start)"
# The reference openai-whisper engine is installed by `make test`: its tests must run, never skip.
export BANGBAN_REQUIRE_OPENAI_WHISPER=1
echo "==> running pytest on $DATABASE_URL, $ELASTICSEARCH_URL and (smartcn) $ELASTICSEARCH_ZH_URL"
.venv/bin/python -m pytest "$@"
