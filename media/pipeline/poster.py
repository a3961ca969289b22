"""The poster frame shown before a video plays: one JPEG, light enough for a slow phone connection."""

from __future__ import annotations

import io
from pathlib import Path

from media.pipeline._ffmpeg import atomic_path, ffmpeg_command, run_ffmpeg
from media.pipeline.probe import probe
from media.pipeline.types import PipelineError

# The first frames are often black or a fade-in; a tenth of the way in usually shows the subject.
DEFAULT_POSITION = 0.10
# Stay this far before the end: seeking to the very last instant can land after the last frame.
_END_MARGIN = 0.1
JPEG_QUALITY = 82


def _grab_frame(src: Path, at: float) -> bytes:
    """One decoded frame at ``at`` seconds as a binary PPM, with non-square pixels already squared."""
    args = ffmpeg_command(
        "-ss", f"{at:.3f}", "-i", src,
        "-map", "0:v:0", "-frames:v", "1",
        "-vf", "scale=w='iw*sar':h=ih,setsar=1",
        "-pix_fmt", "rgb24", "-c:v", "ppm", "-f", "image2pipe", "pipe:1",
    )  # fmt: skip
    return run_ffmpeg(args, what="Taking a poster frame")


def extract_poster(src: Path, dest: Path, *, at: float | None = None, max_width: int = 720) -> Path:
    """Write a progressive JPEG of the frame at ``at`` seconds (default 10% in), at most ``max_width`` wide.

    ``at`` is clamped into the video; a time past the end takes a frame just before the end.
    """
    from PIL import Image

    src, dest = Path(src), Path(dest)
    duration = probe(src).duration
    position = duration * DEFAULT_POSITION if at is None else at
    position = min(max(position, 0.0), max(duration - _END_MARGIN, 0.0))

    frame = _grab_frame(src, position)
    if not frame and position > 0:
        frame = _grab_frame(src, 0.0)  # some files have no decodable frame near the end; the start always has one
    if not frame:
        raise PipelineError("Could not take a poster frame: the video has no picture that can be decoded.")

    with Image.open(io.BytesIO(frame)) as image:
        picture = image.convert("RGB")
    if picture.width > max_width:
        height = max(1, round(picture.height * max_width / picture.width))
        picture = picture.resize((max_width, height), Image.Resampling.LANCZOS)

    with atomic_path(dest) as tmp:
        picture.save(tmp, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return dest
