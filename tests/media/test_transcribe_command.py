import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def model_cache(settings, tmp_path_factory):
    settings.WHISPER_CACHE_DIR = tmp_path_factory.getbasetemp() / "whisper-cache"


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("transcribe", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_with_segments_and_cues(sample_video):
    out, _ = run(str(sample_video), "--language", "en", "--format", "json")
    data = json.loads(out)
    assert data["engine"] == "faster-whisper" and data["language"] == "en"
    assert data["segments"] and data["cues"]
    text = " ".join(segment["text"] for segment in data["segments"]).lower()
    assert "blue button" in text


def test_vtt_and_srt_with_a_progress_bar_on_stderr(speech_wav, settings):
    out, _ = run(str(speech_wav), "--language", "en", "--format", "vtt")
    assert out.startswith("WEBVTT") and "-->" in out
    # As from a shell, in its own process, against the (migrated) test database.
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "WHISPER_CACHE_DIR": str(settings.WHISPER_CACHE_DIR),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "transcribe", str(speech_wav), "--language", "en", "--format", "srt"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.lstrip().startswith("1\n") and "," in result.stdout.splitlines()[1]
    assert "[" in result.stderr and "100%" in result.stderr and "transcribe" in result.stderr


def test_clear_errors(tmp_path, text_as_mp4):
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "missing.mp4"))
    with pytest.raises(CommandError, match="notes.mp4"):
        run(str(text_as_mp4))
