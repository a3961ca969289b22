#!/usr/bin/env bash
# Starts the site and a task worker together; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-8000}
ES_TMP=""
# Static files as production serves them: hashed names, gzip and brotli copies, cached a year (WhiteNoise).
export STATIC_COLLECTED=1
$PY manage.py collectstatic --no-input -v 0
if [ "${ELASTICSEARCH:-}" = "local" ]; then
  # A local single-node cluster for this run, filled from the database, removed on exit.
  eval "$(scripts/es.sh start)"
fi
# Database search entries always (cheap); the cluster's indices too when there is one.
$PY manage.py search_reindex >/dev/null
$PY manage.py db_worker --queue-name '*' &
worker=$!
trap 'kill $worker 2>/dev/null || true; [ -n "$ES_TMP" ] && scripts/es.sh stop "$ES_TMP"' EXIT INT TERM
cat <<MSG

  帮办 Bangban is running at http://127.0.0.1:$PORT/
  Admin:  http://127.0.0.1:$PORT/admin/
  Demo logins (password: bangban-demo):
    admin (superuser), editor, editor2, moderator, moderator2, publicity, trainer, learner
  A task worker runs beside the site (pid $worker). Press Ctrl-C to stop both.
  Search: ${ELASTICSEARCH_URL:-database only (ELASTICSEARCH=local make run starts a local Elasticsearch)}

MSG
$PY manage.py runserver "127.0.0.1:$PORT"
