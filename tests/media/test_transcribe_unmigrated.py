"""`manage.py transcribe` on a checkout whose database was never migrated says what to run."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_database_never_migrated_gets_the_command_to_run(tmp_path):
    sound = tmp_path / "tone.wav"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=1", str(sound)], check=True
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}", "VAR_DIR": str(tmp_path / "var")})
    result = subprocess.run(
        [sys.executable, "manage.py", "transcribe", str(sound)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "manage.py migrate" in result.stderr
    assert "Traceback" not in result.stderr and "no such table" not in result.stderr
