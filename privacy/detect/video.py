"""Personal numbers shown in a video: frames sampled with ffmpeg, read by OCR, merged over time.

ffmpeg decodes the video at ``RATE`` frames a second into grey PGM frames on a pipe; a frame is kept when it
differs from the last one kept (a scene change: on a screen recording, as little as one new line of text) and in
any case at least every ``interval`` seconds. ffmpeg's own scene score misses a single line of text appearing on a
still screen, so the comparison is made here, block by block. A kept frame that looks the same as the last one
read is not read again: it repeats that frame's findings.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from privacy.detect.ocr import findings_in_words, read_words
from privacy.detect.types import Box, DetectError, ImageFinding, VideoFinding

FFMPEG = "ffmpeg"
FFPROBE = "ffprobe"
INTERVAL = 2.0
RATE = 5  # frames a second looked at for changes: the start and end of a finding are known to 1/RATE s
MAX_WIDTH = 1280
# A frame is "the same" as the last one kept when no 16x16 block's mean brightness moved by more than this; a line
# of new text moves the blocks it covers by tens of levels, compression noise by one or two.
_SAME_FRAME_LEVELS = 12
_BLOCK = 16


@dataclass(frozen=True)
class Frame:
    time: float
    path: Path  # frames that repeat an earlier one share its file


def duration_of(src: Path) -> float:
    try:
        completed = subprocess.run(
            [FFPROBE, "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(src)],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except FileNotFoundError as error:
        raise DetectError("ffprobe is not installed: apt-get install ffmpeg") from error
    text = completed.stdout.decode().strip()
    try:
        return float(text)
    except ValueError:
        reason = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DetectError(f"{src}: not a video that can be read ({reason[-1] if reason else 'no duration'})") from None


def _read_exact(stream, count: int) -> bytes:
    chunks, left = [], count
    while left:
        chunk = stream.read(left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _pgm_frames(stream) -> Iterator[tuple[bytes, int, int, bytes]]:
    """(header, width, height, pixels) of each binary PGM in an image2pipe stream."""
    while True:
        header = stream.readline()
        if not header:
            return
        size = stream.readline()
        maxval = stream.readline()
        width, height = (int(v) for v in size.split())
        pixels = _read_exact(stream, width * height)
        if len(pixels) < width * height:
            return
        yield header + size + maxval, width, height, pixels


def _signature(pixels: bytes, width: int, height: int) -> bytes:
    from PIL import Image

    image = Image.frombytes("L", (width, height), pixels)
    return image.reduce(_BLOCK).tobytes() if min(width, height) >= _BLOCK else image.tobytes()


def _same(a: bytes, b: bytes) -> bool:
    return len(a) == len(b) and max((abs(x - y) for x, y in zip(a, b, strict=True)), default=0) <= _SAME_FRAME_LEVELS


def sample_frames(
    src: Path,
    workdir: Path,
    *,
    interval: float = INTERVAL,
    progress: Callable[[float], None] | None = None,
    duration: float | None = None,
) -> list[Frame]:
    """The sampled frames in time order; each new picture is written once into ``workdir`` as a PGM file."""
    duration = duration if duration is not None else duration_of(src)
    args = [
        FFMPEG, "-hide_banner", "-nostdin", "-loglevel", "error", "-i", str(src), "-map", "0:v:0",
        "-vf", f"fps={RATE},scale='min(iw,{MAX_WIDTH})':-2,format=gray",
        "-f", "image2pipe", "-c:v", "pgm", "pipe:1",
    ]  # fmt: skip
    try:
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except FileNotFoundError as error:
        raise DetectError("ffmpeg is not installed: apt-get install ffmpeg") from error
    frames: list[Frame] = []
    last_kept: tuple[float, bytes, Path] | None = None  # time, signature, file of the last picture written
    last_time = None
    try:
        assert process.stdout is not None
        for index, (header, width, height, pixels) in enumerate(_pgm_frames(process.stdout)):
            time = index / RATE
            signature = _signature(pixels, width, height)
            changed = last_kept is None or not _same(signature, last_kept[1])
            due = last_time is None or time - last_time >= interval - 1e-6
            if changed:
                path = workdir / f"frame-{index:06d}.pgm"
                path.write_bytes(header + pixels)
                last_kept = (time, signature, path)
            if changed or due:
                frames.append(Frame(time=time, path=last_kept[2]))
                last_time = time
            if progress is not None and duration > 0:
                progress(min(1.0, time / duration))
    except BaseException:
        process.kill()
        process.wait()
        raise
    stderr = process.communicate()[1].decode("utf-8", "replace")
    if process.returncode != 0 or not frames:
        lines = [line for line in stderr.splitlines() if line.strip()]
        raise DetectError(f"{src}: frames could not be taken ({lines[-1] if lines else 'no picture in the video'})")
    return frames


@dataclass
class _Track:
    finding: ImageFinding
    start: float
    box: Box
    points: list[tuple[float, Box]] = field(default_factory=list)


def merge_frames(frames: list[tuple[float, list[ImageFinding]]], *, duration: float) -> list[VideoFinding]:
    """One finding per number per stretch of consecutive sampled frames that show it.

    It starts at the first sampled frame showing it and ends at the next sampled frame that no longer does (the
    video's end when none does), so a mask over [start, end) covers every moment it may be on screen after it is
    first seen.
    """
    open_tracks: list[_Track] = []
    done: list[tuple[_Track, float]] = []
    for time, findings in frames:
        still: list[_Track] = []
        for found in findings:
            match = next(
                (t for t in open_tracks if t.finding.fingerprint == found.fingerprint and t.box.overlaps(found.box)),
                None,
            ) or next((t for t in open_tracks if t.finding.fingerprint == found.fingerprint), None)
            if match is None:
                match = _Track(finding=found, start=time, box=found.box)
            else:
                open_tracks.remove(match)
                match.box = match.box.union(found.box)
            match.points.append((time, found.box))
            still.append(match)
        done.extend((track, time) for track in open_tracks)
        open_tracks = still
    done.extend((track, max(duration, track.points[-1][0])) for track in open_tracks)
    done.sort(key=lambda item: (item[0].start, item[0].box.top, item[0].box.left))
    return [
        VideoFinding(
            kind=track.finding.kind,
            start=round(track.start, 3),
            end=round(end, 3),
            box=track.box,
            masked=track.finding.masked,
            fingerprint=track.finding.fingerprint,
            track=tuple((round(t, 3), box) for t, box in track.points),
        )
        for track, end in done
    ]


def find_in_video(
    src: Path,
    *,
    key: bytes | None = None,
    interval: float = INTERVAL,
    jobs: int | None = None,
    progress: Callable[[float], None] | None = None,
) -> list[VideoFinding]:
    """Personal numbers shown in a video file, each with when it shows and where (the box round every place it
    was seen). ``progress`` gets a fraction: sampling is the first fifth of the work, OCR the rest."""
    src = Path(src)
    if not src.is_file():
        raise DetectError(f"{src}: no such file")
    duration = duration_of(src)

    def report(fraction: float) -> None:
        if progress is not None:
            progress(fraction)

    with tempfile.TemporaryDirectory(prefix="bangban-pii-frames-") as workdir:
        frames = sample_frames(
            src, Path(workdir), interval=interval, duration=duration, progress=lambda f: report(0.2 * f)
        )
        to_read = list(dict.fromkeys(frame.path for frame in frames))
        pages = read_words(to_read, jobs=jobs, progress=lambda n: report(0.2 + 0.8 * n / len(to_read)))
    findings = dict(zip(to_read, (findings_in_words(words, key=key) for words in pages), strict=True))
    report(1.0)
    return merge_frames([(frame.time, findings[frame.path]) for frame in frames], duration=duration)
