"""Covering a region of a video for a span of seconds with ffmpeg. No Django."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from privacy.detect.types import DetectError
from privacy.detect.video import FFMPEG, FFPROBE, MAX_WIDTH

PADDING = 6


def video_size(src: Path) -> tuple[int, int]:
    completed = subprocess.run(
        [FFPROBE, "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "json",
         str(src)],
        capture_output=True,
        timeout=60,
        check=False,
    )  # fmt: skip
    try:
        stream = json.loads(completed.stdout)["streams"][0]
        return int(stream["width"]), int(stream["height"])
    except (ValueError, KeyError, IndexError):
        raise DetectError(f"{src}: not a video that can be read") from None


def scan_box_to_video(box: list[int], *, width: int) -> list[int]:
    """A box found by the scan (frames at most MAX_WIDTH wide) in the video's own pixels."""
    scale = width / min(width, MAX_WIDTH)
    return [round(value * scale) for value in box]


def mask_video(src: Path, dest: Path, *, box: list[int], start: float, end: float, method: str = "box") -> None:
    """Write ``dest``: ``src`` with ``box`` (its own pixels) covered from ``start`` to ``end`` seconds, by a solid
    box or a strong blur; the sound is copied as it is."""
    width, height = video_size(src)
    left = max(0, box[0] - PADDING) // 2 * 2
    top = max(0, box[1] - PADDING) // 2 * 2
    right = min(width, box[2] + PADDING)
    bottom = min(height, box[3] + PADDING)
    w, h = (right - left) // 2 * 2, (bottom - top) // 2 * 2
    if w <= 0 or h <= 0:
        raise DetectError("The box lies outside the video.")
    enable = f"between(t,{max(0.0, start):.3f},{end:.3f})"
    if method == "blur":
        radius = max(1, min(w, h) // 2 - 1)
        graph = (
            f"[0:v]split[base][part];[part]crop={w}:{h}:{left}:{top},boxblur={radius}:4[blurred];"
            f"[base][blurred]overlay={left}:{top}:enable='{enable}'[v]"
        )
    else:
        graph = f"[0:v]drawbox=x={left}:y={top}:w={w}:h={h}:color=0x333333@1:t=fill:enable='{enable}'[v]"
    completed = subprocess.run(
        [FFMPEG, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", str(src), "-filter_complex", graph,
         "-map", "[v]", "-map", "0:a?", "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt",
         "yuv420p", "-c:a", "copy", "-movflags", "+faststart", str(dest)],
        capture_output=True,
        timeout=3600,
        check=False,
    )  # fmt: skip
    if completed.returncode != 0:
        lines = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DetectError(f"The video could not be masked: {lines[-1] if lines else 'ffmpeg failed'}")
