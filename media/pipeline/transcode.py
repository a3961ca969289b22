"""The phone rendition: H.264 + AAC in an MP4 that starts playing before it has fully downloaded.

Why ffmpeg directly and not moviepy: this stage is a plain re-encode. moviepy would decode every frame into a numpy
array and pipe raw RGB into a second ffmpeg (it could pass ``-movflags +faststart`` through ``ffmpeg_params``), which
costs several times the CPU, converts YUV to RGB and back, forces a constant frame rate and hides ffmpeg's own
progress. moviepy stays the tool for cutting and compositing (social renders), where frames really pass through
Python.
"""

from __future__ import annotations

import re
from pathlib import Path

from media.pipeline._ffmpeg import atomic_path, ffmpeg_command, run_ffmpeg_with_progress
from media.pipeline.probe import probe
from media.pipeline.types import Progress

# Peaks may rise this much above the average bitrate; the buffer smooths over about two seconds.
_MAXRATE_FACTOR = 1.2
_BUFSIZE_FACTOR = 2.0


def _bits_per_second(rate: str) -> int:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*", rate)
    if not match:
        raise ValueError(f"Not a bitrate: {rate!r} (expected e.g. '1000k' or '1.5M').")
    number, unit = match.groups()
    return int(float(number) * {"": 1, "k": 1_000, "m": 1_000_000}[unit.lower()])


def _scale_filter(max_short_side: int) -> str:
    # Square the pixels first (iw*sar), then shrink so the shorter side is at most max_short_side, never enlarge,
    # and keep both sides even as yuv420p requires. ffmpeg has already applied any rotation flag here.
    display_width = "(iw*sar)"
    factor = f"min(1,{max_short_side}/min({display_width},ih))"
    width = f"trunc({display_width}*{factor}/2)*2"
    height = f"trunc(ih*{factor}/2)*2"
    return f"scale=w='{width}':h='{height}',setsar=1,format=yuv420p"


def transcode_for_phone(
    src: Path,
    dest: Path,
    *,
    max_height: int = 720,
    video_bitrate: str = "1000k",
    audio_bitrate: str = "96k",
    progress: Progress | None = None,
    preset: str = "medium",
    max_fps: int = 30,
) -> Path:
    """Write ``dest``: H.264 High (yuv420p) + AAC MP4 of ``src`` at about ``video_bitrate``, moov first.

    ``max_height`` limits the shorter side, so a landscape video becomes at most 1280x720 and a portrait phone
    recording at most 720 wide (720x1280), readable on the phone it was made for; nothing is ever enlarged.
    A video without sound gives a video-only MP4. ``dest`` is replaced in one rename, never left half-written.
    """
    src, dest = Path(src), Path(dest)
    facts = probe(src)
    bitrate = _bits_per_second(video_bitrate)
    _bits_per_second(audio_bitrate)  # fail early on a typo rather than inside ffmpeg

    if progress is not None:
        progress(0.0)
    with atomic_path(dest) as tmp:
        args = ffmpeg_command(
            "-i", src,
            "-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn",
            "-vf", _scale_filter(max_height),
            "-fpsmax", str(max_fps),
            "-c:v", "libx264", "-preset", preset, "-profile:v", "high", "-pix_fmt", "yuv420p",
            "-b:v", str(bitrate),
            "-maxrate", str(int(bitrate * _MAXRATE_FACTOR)),
            "-bufsize", str(int(bitrate * _BUFSIZE_FACTOR)),
            "-c:a", "aac", "-b:a", audio_bitrate, "-af", "aformat=channel_layouts=mono|stereo",
            "-movflags", "+faststart",
            "-progress", "pipe:1", "-nostats",
            "-f", "mp4", tmp,
        )  # fmt: skip
        run_ffmpeg_with_progress(
            args, duration=facts.duration, progress=progress, what="Converting the video for phones failed"
        )
    if progress is not None:
        progress(1.0)
    return dest
