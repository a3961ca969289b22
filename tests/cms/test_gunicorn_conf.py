import importlib.util
import subprocess
import sys
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "cms" / "gunicorn.conf.py"


def test_gunicorn_accepts_the_site_config():
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", str(CONF), "cms.wsgi"],
        capture_output=True, text=True, timeout=120, cwd=CONF.parents[1],
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_workers_switch_threads_every_millisecond(monkeypatch):
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONF)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    assert conf.worker_class == "gthread" and conf.workers >= 2
    before = sys.getswitchinterval()
    try:
        conf.post_fork(None, None)
        assert sys.getswitchinterval() == 0.001
        monkeypatch.setenv("GUNICORN_SWITCH_INTERVAL", "0.002")
        conf.post_fork(None, None)
        assert sys.getswitchinterval() == 0.002
    finally:
        sys.setswitchinterval(before)
