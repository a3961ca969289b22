"""Shared by the Whisper tests: generated speech, the packaged model joined once per run, word error rate."""

from __future__ import annotations

import atexit
import functools
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

from media.pipeline.weights import ensure_model_dir

ENGLISH = "To check your social insurance record, open the app and tap the search button."
CHINESE = "打开手机应用，点击查询按钮，查看您的社保记录。"
REQUIRE_OPENAI_ENV = "BANGBAN_REQUIRE_OPENAI_WHISPER"


@functools.cache
def work_dir() -> Path:
    path = Path(tempfile.mkdtemp(prefix="bangban-whisper-test-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


@functools.cache
def packaged_model_dir() -> Path:
    """The packaged Whisper base model, joined once per test process (about a second)."""
    return ensure_model_dir(work_dir() / "cache")


@functools.cache
def speech(text: str, voice: str = "en-us", speed: int = 150) -> Path:
    """``text`` spoken by espeak-ng, as 16 kHz mono WAV.

    Mandarin uses the ``cmn-latn-pinyin`` voice: Debian's plain ``cmn`` voice reads the pinyin its dictionary
    gives for each character with English letter sounds and tone digits ("da three"), which Whisper hears as
    numbers.
    """
    index = len(list(work_dir().glob("speech-*.wav")))
    raw = work_dir() / f"raw-{index}.wav"
    dest = work_dir() / f"speech-{index}.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True)
    _resample(["-i", str(raw)], dest)
    return dest


@functools.cache
def noise(seconds: float) -> Path:
    """Quiet pink noise: no speech at all."""
    dest = work_dir() / f"noise-{seconds}.wav"
    _resample(["-f", "lavfi", "-i", f"anoisesrc=color=pink:amplitude=0.02:sample_rate=16000:duration={seconds}"], dest)
    return dest


def _resample(inputs: list[str], dest: Path) -> None:
    command = ["ffmpeg", "-nostdin", "-y", "-loglevel", "error", *inputs, "-ar", "16000", "-ac", "1", str(dest)]
    subprocess.run(command, check=True)


def _words(text: str) -> list[str]:
    return re.sub(r"[^\w\s']", " ", text.casefold()).split()


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, ignoring case and punctuation."""
    ref, hyp = _words(reference), _words(hypothesis)
    if not ref:
        return float(bool(hyp))
    previous = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, start=1):
        current = [i]
        for j, hyp_word in enumerate(hyp, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word)))
        previous = current
    return previous[-1] / len(ref)


def require_openai_whisper() -> ModuleType:
    """The ``whisper`` module, or a skip (a failure when BANGBAN_REQUIRE_OPENAI_WHISPER=1, as in `make bench`)."""
    if os.environ.get(REQUIRE_OPENAI_ENV) == "1":
        try:
            import whisper
        except ImportError as error:
            pytest.fail(
                f"{REQUIRE_OPENAI_ENV}=1 but openai-whisper cannot be imported ({error}): pip install openai-whisper",
                pytrace=False,
            )
        return whisper
    return pytest.importorskip(
        "whisper",
        reason=f"openai-whisper is an optional extra (pip install openai-whisper); set {REQUIRE_OPENAI_ENV}=1 "
        "to fail instead of skipping",
    )
