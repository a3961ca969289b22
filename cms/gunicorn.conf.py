"""Gunicorn settings for the site (`gunicorn -c cms/gunicorn.conf.py cms.wsgi`); each can be set in the environment.

Threaded workers: a request mostly waits on PostgreSQL or Elasticsearch, so a few processes (for the CPU) with
several threads each (for the waiting) serve many phone connections, kept alive between a citizen's taps.
"""

import multiprocessing
import os
import sys

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", str(max(2, multiprocessing.cpu_count()))))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "30"))
backlog = 256
# A request that takes this long is stuck (search and pages answer in milliseconds; uploads stream to disk).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
accesslog = None


def post_fork(server, worker):
    # A thread holds the GIL up to this long before another may run (Python's default is 5 ms). A kept search
    # answer needs under 1 ms of Python, a new search about 6: at 1 ms the short requests stop queueing behind the
    # long ones (search benchmark, citizen mix, 7 alternating pairs: median p95 55 -> 43 ms).
    sys.setswitchinterval(float(os.environ.get("GUNICORN_SWITCH_INTERVAL", "0.001")))
