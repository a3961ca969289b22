"""Facts about an uploaded file (ffprobe), and the checks that turn bad uploads into readable reasons."""

from __future__ import annotations

import json
import os
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from media.pipeline._ffmpeg import FFPROBE, last_error_line
from media.pipeline.types import NotAVideo, OverLimit, PipelineError, ProbeResult

PROBE_TIMEOUT = 120

# Top-level box types of ISO base media files (MP4, MOV, 3GP). Seeing one first means "this is an MP4 family file".
_MP4_TOP_LEVEL = frozenset(
    b"ftyp styp moov mdat free skip wide pdin uuid sidx ssix moof mfra meta prft emsg jumb".split()
)
# ffprobe reads a still image (format "png_pipe", "jpeg_pipe", "image2" ...) as a one-frame video stream.
_IMAGE_NAMES = {"mjpeg": "JPEG", "jpeg": "JPEG"}


@dataclass(frozen=True)
class Mp4Box:
    type: str
    offset: int
    size: int


@dataclass(frozen=True)
class Mp4Layout:
    """The top-level boxes of an MP4 family file, read from their 8 or 16 byte headers only."""

    boxes: tuple[Mp4Box, ...]
    truncated: bool  # a box claims more bytes than the file has

    @property
    def types(self) -> tuple[str, ...]:
        return tuple(box.type for box in self.boxes)

    @property
    def faststart(self) -> bool:
        """True when the index (moov) comes before the media data, so a phone can start playing at once."""
        types = self.types
        if "moov" not in types:
            return False
        return "mdat" not in types or types.index("moov") < types.index("mdat")


def read_mp4_layout(path: Path) -> Mp4Layout | None:
    """Walk the top-level boxes by seeking from header to header. None when the file is not MP4 family."""
    boxes: list[Mp4Box] = []
    file_size = path.stat().st_size
    with path.open("rb") as handle:
        offset = 0
        while offset + 8 <= file_size:
            handle.seek(offset)
            size, raw_type = struct.unpack(">I4s", handle.read(8))
            if raw_type not in _MP4_TOP_LEVEL and not (boxes and raw_type.isalnum()):
                # The first box decides whether this is an MP4 at all; later, a type that is not four letters
                # or digits is trailing garbage and ends the walk.
                return None if not boxes else Mp4Layout(tuple(boxes), truncated=False)
            header = 8
            if size == 1:  # a 64-bit size follows the type
                if offset + 16 > file_size:
                    return Mp4Layout(tuple(boxes), truncated=True)
                (size,) = struct.unpack(">Q", handle.read(8))
                header = 16
            elif size == 0:  # the box runs to the end of the file
                size = file_size - offset
            if size < header:
                return None if not boxes else Mp4Layout(tuple(boxes), truncated=True)
            boxes.append(Mp4Box(raw_type.decode("latin-1"), offset, size))
            if offset + size > file_size:
                return Mp4Layout(tuple(boxes), truncated=True)
            offset += size
    # Fewer than 8 bytes left over cannot hold a box; players ignore them, so they do not make the file truncated.
    return Mp4Layout(tuple(boxes), truncated=False) if boxes else None


def run_ffprobe(path: Path) -> dict[str, Any] | str:
    """ffprobe's JSON for the file, or its last error line when it cannot read it."""
    args = [FFPROBE, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", os.fspath(path)]
    try:
        completed = subprocess.run(args, capture_output=True, timeout=PROBE_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as error:
        raise NotAVideo("Reading the file took too long; it is probably damaged.") from error
    if completed.returncode != 0:
        return last_error_line(completed.stderr)
    try:
        return json.loads(completed.stdout.decode("utf-8", "replace"))
    except json.JSONDecodeError:
        return "unreadable ffprobe output"


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and number >= 0 else None  # drops NaN


def _int(value: Any) -> int | None:
    number = _float(value)
    return int(number) if number is not None else None


def _rotation(stream: dict[str, Any]) -> int:
    """Degrees a player turns the picture: from the display matrix, or the older ``rotate`` tag."""
    values = [side_data.get("rotation") for side_data in stream.get("side_data_list", [])]
    values.append(stream.get("tags", {}).get("rotate"))
    for value in values:
        try:
            return round(float(value)) % 360
        except (TypeError, ValueError):
            continue
    return 0


def _describe_size(size: int) -> str:
    if size >= 1024**3:
        return f"{size / 1024**3:.1f} GB"
    if size >= 1024**2:
        return f"{size / 1024**2:.0f} MB"
    return f"{size / 1024:.0f} KB"


def _describe_seconds(seconds: float) -> str:
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"
    return f"{secs} s"


def probe(path: Path) -> ProbeResult:
    """Read duration, size, dimensions and codecs of a video, or raise NotAVideo with a reason an editor can act on.

    ``width``/``height`` are the displayed size: a phone recording stored sideways with a rotation flag reports
    its upright dimensions, as ffmpeg will render it.
    """
    path = Path(path)
    if not path.is_file():
        raise PipelineError(f"The file {path.name!r} does not exist.")
    size_bytes = path.stat().st_size
    if size_bytes == 0:
        raise NotAVideo("The file is empty (0 bytes); the upload probably failed. Please upload it again.")

    layout = read_mp4_layout(path)
    info = run_ffprobe(path)
    if isinstance(info, str):
        if layout is not None and "moov" not in layout.types:
            raise NotAVideo(
                "The MP4 file is incomplete: its index (the 'moov' box) is missing, so the recording or upload "
                "was cut off. Please upload the complete file again."
            )
        if layout is not None:
            raise NotAVideo(f"The MP4 file is damaged and cannot be read ({info}).")
        raise NotAVideo("This file is not a video: its format was not recognised.")
    if layout is not None and layout.truncated:
        raise NotAVideo(
            "The MP4 file is truncated: it ends before its video data does, so the upload was cut off. "
            "Please upload the complete file again."
        )

    fmt = info.get("format", {})
    format_name = str(fmt.get("format_name", ""))
    streams = info.get("streams", [])
    videos = [s for s in streams if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")]
    audios = [s for s in streams if s.get("codec_type") == "audio"]

    if format_name.endswith("_pipe") or format_name == "image2":
        kind = (videos[0].get("codec_name") if videos else None) or format_name.removesuffix("_pipe")
        raise NotAVideo(f"This is a still image ({_IMAGE_NAMES.get(kind, kind.upper())}), not a video.")
    if not videos:
        if audios:
            raise NotAVideo("The file has sound but no picture (no video stream). Please upload a video.")
        raise NotAVideo("This file is not a video: it has no video stream.")

    video = videos[0]
    audio = audios[0] if audios else None
    stream_durations = [_float(s.get("duration")) for s in (*videos, *audios)]
    duration = _float(fmt.get("duration")) or max((d for d in stream_durations if d), default=None)
    if not duration:
        raise NotAVideo("The length of the video could not be read; the file is probably damaged.")

    width, height = _int(video.get("width")), _int(video.get("height"))
    if width and height and _rotation(video) in (90, 270):
        width, height = height, width

    return ProbeResult(
        duration=duration,
        size_bytes=size_bytes,
        format_name=format_name,
        width=width or None,
        height=height or None,
        video_codec=video.get("codec_name") or "unknown",
        audio_codec=(audio.get("codec_name") or "unknown") if audio else None,
        bit_rate=_int(fmt.get("bit_rate")),
        faststart=layout.faststart if layout is not None else False,
    )


def check_limits(result: ProbeResult, *, max_bytes: int, max_seconds: float) -> None:
    """Raise OverLimit when the video is larger or longer than the site allows."""
    if result.size_bytes > max_bytes:
        raise OverLimit(
            f"The video is {_describe_size(result.size_bytes)}; the limit is {_describe_size(max_bytes)}. "
            "Please shorten or compress it."
        )
    if result.duration > max_seconds:
        raise OverLimit(
            f"The video is {_describe_seconds(result.duration)} long; the limit is {_describe_seconds(max_seconds)}. "
            "Please split it into shorter videos."
        )
