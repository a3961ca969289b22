"""Test media made on the spot with ffmpeg (lavfi testsrc2 / sine / anullsrc), espeak-ng and Pillow; none is committed.

Files are made once per test session and shared; tests must not modify them (copy first).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

SPEECH_TEXT = "Open the app, then tap the blue button to check your pension."


def run(*args: str | Path) -> None:
    subprocess.run([str(arg) for arg in args], check=True, capture_output=True, timeout=120)


def ffmpeg(*args: str | Path) -> None:
    run("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args)


def ffprobe_json(path: Path) -> dict:
    """What ffprobe says about a file, independent of the code under test."""
    completed = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return json.loads(completed.stdout)


def stream(info: dict, kind: str) -> dict | None:
    return next((s for s in info["streams"] if s["codec_type"] == kind), None)


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def speech_wav(media_dir: Path) -> Path:
    path = media_dir / "speech.wav"
    run("espeak-ng", "-v", "en", "-w", path, SPEECH_TEXT)
    return path


@pytest.fixture(scope="session")
def make_video(media_dir: Path) -> Callable[..., Path]:
    """make_video(width, height, seconds, audio=None|"sine"|"silence", fps=25, faststart=False) -> Path, cached."""
    made: dict[tuple, Path] = {}

    def make(
        width: int = 320,
        height: int = 240,
        seconds: float = 2,
        *,
        audio: str | None = None,
        fps: int = 25,
        faststart: bool = False,
    ) -> Path:
        key = (width, height, seconds, audio, fps, faststart)
        if key not in made:
            path = media_dir / f"v{len(made)}_{width}x{height}_{seconds}s_{audio}_{fps}.mp4"
            inputs = ["-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate={fps}:duration={seconds}"]
            if audio == "sine":
                inputs += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}"]
            elif audio == "silence":
                inputs += ["-f", "lavfi", "-i", "anullsrc=channel_layout=stereo:sample_rate=48000"]
            codecs = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac"]
            layout = ["-movflags", "+faststart"] if faststart else []
            ffmpeg(*inputs, *codecs, *layout, "-t", str(seconds), path)
            made[key] = path
        return made[key]

    return make


@pytest.fixture(scope="session")
def sample_video(media_dir: Path, speech_wav: Path) -> Path:
    """6 s, 1280x720, 30 fps H.264 with spoken English as AAC; moov at the end, as ffmpeg writes by default."""
    path = media_dir / "sample.mp4"
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=6", "-i", speech_wav,
        "-filter_complex", "[1:a]apad,aresample=48000[a]", "-map", "0:v", "-map", "[a]", "-t", "6",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", path,
    )  # fmt: skip
    return path


@pytest.fixture(scope="session")
def faststart_video(media_dir: Path, sample_video: Path) -> Path:
    path = media_dir / "sample_faststart.mp4"
    ffmpeg("-i", sample_video, "-c", "copy", "-movflags", "+faststart", path)
    return path


@pytest.fixture(scope="session")
def video_without_audio(make_video: Callable[..., Path]) -> Path:
    return make_video(640, 360, 2)


@pytest.fixture(scope="session")
def silent_video(make_video: Callable[..., Path]) -> Path:
    return make_video(320, 240, 2, audio="silence")


@pytest.fixture(scope="session")
def truncated_mp4(media_dir: Path, sample_video: Path) -> Path:
    """The first half of the sample: the upload stopped before the index (moov) at the end arrived."""
    path = media_dir / "truncated.mp4"
    data = sample_video.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.fixture(scope="session")
def truncated_faststart_mp4(media_dir: Path, faststart_video: Path) -> Path:
    """The first half of a faststart file: the index is there, the media data is cut short."""
    path = media_dir / "truncated_faststart.mp4"
    data = faststart_video.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.fixture(scope="session")
def empty_mp4(media_dir: Path) -> Path:
    path = media_dir / "empty.mp4"
    path.write_bytes(b"")
    return path


@pytest.fixture(scope="session")
def text_as_mp4(media_dir: Path) -> Path:
    path = media_dir / "notes.mp4"
    path.write_text("These are my notes about the pension service, not a video.\n" * 20)
    return path


@pytest.fixture(scope="session")
def png_as_mp4(media_dir: Path) -> Path:
    from PIL import Image

    path = media_dir / "screenshot.mp4"
    Image.new("RGB", (64, 48), "red").save(path, "PNG")
    return path


@pytest.fixture(scope="session")
def audio_only_mp4(media_dir: Path) -> Path:
    path = media_dir / "voice.mp4"
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", path)
    return path
