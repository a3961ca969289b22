"""The site's web server for production: `python -m cms.serve` runs cms.wsgi under Granian.

Granian reads requests and writes responses in its own (Rust) threads, outside Python's global lock, and hands each
request to one of a few Python threads per worker process: a request mostly waits on PostgreSQL or Elasticsearch,
so a few processes (for the CPU) with several threads each (for the waiting) serve many phone connections, kept
alive between a citizen's taps. Under the search benchmark's load of new questions it needed about a fifth less CPU
per request than gunicorn's threaded workers with the same processes and threads (bench/search_speed.py).

Settings, from the environment:
- WEB_BIND: host:port to listen on (127.0.0.1:8000; put a reverse proxy or load balancer in front);
- WEB_WORKERS: worker processes (one per core, at least 2);
- WEB_THREADS: Python threads per worker (8);
- WEB_SWITCH_INTERVAL: seconds a thread may hold the global lock before another runs (0.001; see cms/wsgi.py);
- WEB_ACCESS_LOG: 1 (default) writes a line per request to stdout, 0 writes none.

Access lines carry the method, path, status and time, never the query string: citizens type ID and phone numbers
into search, and /search/?q=... would put them in every log.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import Any

from granian.constants import HTTPModes, Interfaces

DEFAULT_BIND = "127.0.0.1:8000"
DEFAULT_THREADS = 8
# Granian's own default line, without %(query_string)s.
ACCESS_LOG_FORMAT = '[%(time)s] %(addr)s - "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).3f'


class ServeConfigError(ValueError):
    """A WEB_* setting that cannot be used; the message names it."""


def _positive_int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ServeConfigError(f"{name} must be a whole number, got {raw!r}") from None
    if value < 1:
        raise ServeConfigError(f"{name} must be at least 1, got {value}")
    return value


def _bind(environ: Mapping[str, str]) -> tuple[str, int]:
    raw = environ.get("WEB_BIND", "").strip() or DEFAULT_BIND
    host, sep, port = raw.rpartition(":")
    host = host.strip("[]")  # [::1]:8000
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ServeConfigError(f"WEB_BIND must be host:port, e.g. {DEFAULT_BIND}, got {raw!r}")
    return host, int(port)


def _switch_interval(environ: Mapping[str, str]) -> None:
    raw = environ.get("WEB_SWITCH_INTERVAL", "").strip()
    if not raw:
        return
    try:
        ok = 0 < float(raw) <= 1
    except ValueError:
        ok = False
    if not ok:
        raise ServeConfigError(f"WEB_SWITCH_INTERVAL must be seconds between 0 and 1, e.g. 0.001, got {raw!r}")


def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in {"0", "1", "true", "false", "yes", "no", "on", "off"}:
        raise ServeConfigError(f"{name} must be 1 or 0, got {raw!r}")
    return raw in {"1", "true", "yes", "on"}


def _check_site_settings() -> None:
    """Load the Django settings once here, so that a setting they refuse (e.g. no SECRET_KEY outside DEBUG) stops
    the server with its message instead of failing in every worker, which Granian would start again and again."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    try:
        settings.SECRET_KEY  # noqa: B018 - reading a setting loads them all
    except ImproperlyConfigured as exc:
        raise ServeConfigError(str(exc)) from None


def options(environ: Mapping[str, str]) -> dict[str, Any]:
    """Granian's arguments for these settings; raises ServeConfigError naming a setting it cannot use."""
    host, port = _bind(environ)
    _switch_interval(environ)  # read by cms.wsgi in each worker
    return {
        "target": "cms.wsgi:application",
        "interface": Interfaces.WSGI,
        "address": host,
        "port": port,
        "workers": _positive_int(environ, "WEB_WORKERS", max(2, os.cpu_count() or 1)),
        "blocking_threads": _positive_int(environ, "WEB_THREADS", DEFAULT_THREADS),
        "http": HTTPModes.http1,
        "websockets": False,
        # A worker that dies (out of memory, a crash in an extension) is started again.
        "respawn_failed_workers": True,
        "log_access": _flag(environ, "WEB_ACCESS_LOG", True),
        "log_access_format": ACCESS_LOG_FORMAT,
    }


def main() -> int:
    try:
        kwargs = options(os.environ)
        _check_site_settings()
    except ServeConfigError as exc:
        sys.stderr.write(f"cms.serve: {exc}\n")
        return 2
    from granian import Granian

    Granian(**kwargs).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
