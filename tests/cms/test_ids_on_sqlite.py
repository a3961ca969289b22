"""Ids beyond 2**63 on the embedded SQLite default (`make run`), where the driver raises OverflowError itself."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
from django.contrib.auth.models import User
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(raise_request_exception=False)
client.force_login(User.objects.create_superuser("probe", "probe@example.com", "pw"))
for url in {urls!r}:
    print(client.get(url, HTTP_HOST="localhost").status_code, url)
"""


def test_ids_out_of_range_are_404_on_sqlite(tmp_path):
    big = str(2**63)
    urls = [
        f"/admin/bulk/wagtailcore/page/delete/?id={big}",
        "/admin/bulk/wagtailcore/page/delete/?id=99999999999999999999",
        f"/admin/pages/{big}/edit/",
        f"/admin/videos/{big}/status/",
        f"/videos/{big}/subtitles.vtt",
    ]
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}", "VAR_DIR": str(tmp_path)})

    def manage(*args, stdin=None):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin,
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    migrated = manage("migrate", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    probed = manage("shell", "-v", "0", stdin=PROBE.format(urls=urls))
    assert probed.returncode == 0, probed.stderr
    assert probed.stdout.split("\n")[:-1] == [f"404 {url}" for url in urls], probed.stdout + probed.stderr
