#!/usr/bin/env bash
# Starts the site and a task worker together; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
$PY manage.py db_worker --queue-name '*' &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
cat <<MSG

  帮办 Bangban is running at http://$HOST:$PORT/
  Admin:  http://$HOST:$PORT/admin/
  Demo logins (password: bangban-demo):
    admin (superuser), editor, editor2, moderator, moderator2, publicity, trainer, learner
  A task worker runs beside the site (pid $worker). Press Ctrl-C to stop both.

MSG
$PY manage.py runserver "$HOST:$PORT"
