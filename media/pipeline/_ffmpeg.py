"""Small helpers shared by the pipeline stages that run ffmpeg and write files."""

from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from media.pipeline.types import PipelineError

FFMPEG = "ffmpeg"
FFPROBE = "ffprobe"

# A stage that hangs (a damaged file, a stuck pipe) must not hold a worker forever.
DEFAULT_TIMEOUT = 6 * 60 * 60


def ffmpeg_command(*args: str | os.PathLike[str]) -> list[str]:
    """An ffmpeg argument list that never reads stdin or asks before overwriting."""
    return [FFMPEG, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *(os.fspath(arg) for arg in args)]


def last_error_line(stderr: str | bytes) -> str:
    if isinstance(stderr, bytes):
        stderr = stderr.decode("utf-8", "replace")
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else "no details"


def run_ffmpeg(args: list[str], *, what: str, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Run an ffmpeg command, return its stdout; a failure becomes a PipelineError saying ``what`` failed."""
    try:
        completed = subprocess.run(args, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as error:
        raise PipelineError(f"{what} took longer than {timeout:.0f} s and was stopped.") from error
    if completed.returncode != 0:
        raise PipelineError(f"{what} failed: {last_error_line(completed.stderr)}")
    return completed.stdout


@contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; on success it is renamed over ``dest`` in one step.

    The temporary name keeps ``dest``'s suffix so tools that pick a format by extension still work.
    On any error the temporary file is removed, so ``dest`` is either the old file or the complete new one.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.stem}.{uuid.uuid4().hex[:12]}.part{dest.suffix}")
    try:
        yield tmp
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def run_ffmpeg_with_progress(
    args: list[str], *, duration: float, progress: Callable[[float], None] | None, what: str
) -> None:
    """Run an ffmpeg command that writes ``-progress pipe:1``, reporting 0..0.999 of ``duration`` as it goes.

    A failure raises PipelineError starting with ``what``; a progress callback that raises stops ffmpeg.
    """
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=stderr, text=True)
        try:
            assert process.stdout is not None
            for line in process.stdout:
                key, _, value = line.strip().partition("=")
                if progress is not None and key == "out_time_us" and value.lstrip("-").isdigit():
                    progress(min(max(int(value) / 1_000_000 / duration, 0.0), 0.999))
            returncode = process.wait()
        finally:
            if process.poll() is None:  # the progress callback raised: do not leave ffmpeg running
                process.kill()
                process.wait()
        if returncode != 0:
            stderr.seek(0)
            raise PipelineError(f"{what}: {last_error_line(stderr.read())}")
