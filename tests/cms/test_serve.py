"""The production web server (`python -m cms.serve`, Granian): its settings, and the site served by it."""

import http.client
import importlib
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cms import serve

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_serve_on_localhost_with_a_process_per_core():
    opts = serve.options({})
    assert (opts["address"], opts["port"]) == ("127.0.0.1", 8000)
    assert opts["workers"] == max(2, os.cpu_count() or 1) and opts["blocking_threads"] == 8
    assert opts["target"] == "cms.wsgi:application" and opts["interface"] == "wsgi" and opts["http"] == "1"


def test_settings_come_from_the_environment():
    opts = serve.options(
        {"WEB_BIND": "[::1]:9001", "WEB_WORKERS": "3", "WEB_THREADS": "4", "WEB_SWITCH_INTERVAL": "0.002"}
    )
    assert (opts["address"], opts["port"], opts["workers"], opts["blocking_threads"]) == ("::1", 9001, 3, 4)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("WEB_BIND", "8000", "WEB_BIND must be host:port"),
        ("WEB_BIND", "localhost:http", "WEB_BIND must be host:port"),
        ("WEB_BIND", "127.0.0.1:70000", "WEB_BIND must be host:port"),
        ("WEB_WORKERS", "two", "WEB_WORKERS must be a whole number"),
        ("WEB_THREADS", "0", "WEB_THREADS must be at least 1"),
        ("WEB_SWITCH_INTERVAL", "5", "WEB_SWITCH_INTERVAL must be seconds between 0 and 1"),
        ("WEB_SWITCH_INTERVAL", "fast", "WEB_SWITCH_INTERVAL must be seconds between 0 and 1"),
    ],
)
def test_a_bad_setting_is_named_and_nothing_starts(name, value, message):
    with pytest.raises(serve.ServeConfigError, match=message):
        serve.options({name: value})
    done = subprocess.run(
        [sys.executable, "-m", "cms.serve"], cwd=ROOT, env={**os.environ, name: value},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and message in done.stderr


def test_workers_switch_threads_every_millisecond(monkeypatch):
    import cms.wsgi

    before = sys.getswitchinterval()
    try:
        monkeypatch.delenv("WEB_SWITCH_INTERVAL", raising=False)
        importlib.reload(cms.wsgi)
        assert sys.getswitchinterval() == 0.001
        monkeypatch.setenv("WEB_SWITCH_INTERVAL", "0.002")
        importlib.reload(cms.wsgi)
        assert sys.getswitchinterval() == 0.002
    finally:
        sys.setswitchinterval(before)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_site_is_served_with_kept_alive_connections(tmp_path):
    port = _free_port()
    env = {**os.environ, "WEB_BIND": f"127.0.0.1:{port}", "WEB_WORKERS": "1", "WEB_THREADS": "2", "DEBUG": "0"}
    # The site's own production settings (plain HTTP here: no proxy in front to end TLS).
    env.update({"SECRET_KEY": "serve-test-" + "k" * 50, "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0"})
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "cms.serve"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        conn = None
        deadline = time.monotonic() + 60
        while conn is None:
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"the server did not answer:\n{log.read_text()}"
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.connect()
            except OSError:
                conn = None
                time.sleep(0.3)
        for _ in range(2):  # the same connection twice: kept alive
            conn.request("GET", "/api/search?q=")
            response = conn.getresponse()
            body = json.loads(response.read())
            assert response.status == 400 and response.getheader("Content-Type") == "application/json"
            assert body["results"] == [] and body["error"]
            assert not response.will_close
        # Searches with an ID number: the access log names the path, never the query.
        for path in ("/api/search?q=110101199003071234", "/search/?q=%E8%BA%AB%E4%BB%BD%E8%AF%81+13800138000"):
            conn.request("GET", path)
            conn.getresponse().read()
        conn.close()
        deadline = time.monotonic() + 15
        while '"GET /search/ HTTP/1.1"' not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = log.read_text()
    assert '"GET /api/search HTTP/1.1" 400' in lines and '"GET /search/ HTTP/1.1"' in lines, lines
    for secret in ("110101199003071234", "13800138000", "%E8%BA%AB", "q="):
        assert secret not in lines
