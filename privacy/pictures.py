"""Pictures of a finding for the editor: the image or the video frame with a box drawn round the number."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw

PREVIEW_WIDTH = 480
BOX_COLOUR = "#d4351c"


def _with_box(picture: Image.Image, box: list[int] | None, *, scale: float = 1.0) -> bytes:
    picture = picture.convert("RGB")
    if box:
        left, top, right, bottom = (round(value * scale) for value in box)
        width = max(4, picture.width // 120)
        ImageDraw.Draw(picture).rectangle(
            (left - width, top - width, right + width, bottom + width), outline=BOX_COLOUR, width=width
        )
    if picture.width > PREVIEW_WIDTH:
        picture = picture.resize((PREVIEW_WIDTH, round(picture.height * PREVIEW_WIDTH / picture.width)))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def image_with_box(data: bytes, box: list[int] | None) -> bytes:
    with Image.open(io.BytesIO(data)) as picture:
        picture.load()
        return _with_box(picture, box)


def frame_with_box(video: Path, *, second: float, box: list[int] | None) -> bytes:
    """The frame at ``second``, scaled as the scan saw it (at most 1280 wide), with the box drawn on it."""
    from privacy.detect.video import FFMPEG, MAX_WIDTH

    completed = subprocess.run(
        [FFMPEG, "-hide_banner", "-nostdin", "-loglevel", "error", "-ss", f"{max(0.0, second):.3f}", "-i", str(video),
         "-frames:v", "1", "-vf", f"scale='min(iw,{MAX_WIDTH})':-2", "-f", "image2pipe", "-c:v", "png", "pipe:1"],
        capture_output=True,
        timeout=60,
        check=False,
    )  # fmt: skip
    if completed.returncode != 0 or not completed.stdout:
        raise OSError(completed.stderr.decode("utf-8", "replace").strip() or "no frame at that second")
    with Image.open(io.BytesIO(completed.stdout)) as picture:
        picture.load()
        return _with_box(picture, box)
