"""Personal numbers shown in a video: frames sampled with ffmpeg, read by OCR, merged over time.

ffmpeg decodes the video at ``RATE`` frames a second and keeps a frame when it differs from the last one kept (on
a screen recording, as little as one new line of text); the picture then shown is taken again at least every
``interval`` seconds without being read again: it repeats that frame's findings. ffmpeg's scene score misses a
single line of text appearing on a still screen, so frames are compared block by block (``mpdecimate``). Each new
picture goes to an OCR engine (privacy.detect.engine) as soon as it is decoded: the engines stay loaded for the
whole video, so reading costs what a bare tesseract run over the same pictures costs, and decoding overlaps it.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from privacy.detect.engine import Engine, EngineError
from privacy.detect.ocr import TIMEOUT_PER_IMAGE, findings_in_words, parse_tsv
from privacy.detect.types import Box, DetectError, ImageFinding, VideoFinding

FFMPEG = "ffmpeg"
FFPROBE = "ffprobe"
INTERVAL = 2.0
RATE = 5  # frames a second looked at for changes: the start and end of a finding are known to 1/RATE s
# ffmpeg skips the frames no other frame is decoded from (``-skip_frame noref``: about half of a screen recording's
# frames, and half the decoding work) when the video has at least SKIP_FROM frames a second. Encoders put at most a
# few such frames in a row (x264 by default: 3 B-frames), so a number is then seen up to NONREF_RUN of the video's
# frames later than without skipping.
SKIP_FROM = 10.0
NONREF_RUN = 4
# How long before the ``start`` of a finding the number may already show: one look, plus the skipped frames.
SEEN_LATE_BY = 1.0 / RATE + NONREF_RUN / SKIP_FROM
MAX_WIDTH = 1280


@dataclass(frozen=True)
class Frame:
    time: float
    path: Path  # frames that repeat an earlier one share its file


@dataclass(frozen=True)
class _Probe:
    duration: float
    rate: float  # frames a second of the video stream (0 when unknown)


def _probe(src: Path) -> _Probe:
    try:
        completed = subprocess.run(
            [FFPROBE, "-v", "error", "-select_streams", "v:0", "-show_entries", "format=duration:stream=avg_frame_rate",
             "-of", "json", str(src)],
            capture_output=True,
            timeout=60,
            check=False,
        )  # fmt: skip
    except FileNotFoundError as error:
        raise DetectError("ffprobe is not installed: apt-get install ffmpeg") from error
    try:
        data = json.loads(completed.stdout or b"{}")
        duration = float(data["format"]["duration"])
    except (ValueError, KeyError, TypeError):
        reason = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DetectError(f"{src}: not a video that can be read ({reason[-1] if reason else 'no duration'})") from None
    rate = 0.0
    for stream in data.get("streams") or []:
        numerator, _, denominator = str(stream.get("avg_frame_rate", "0/0")).partition("/")
        try:
            rate = float(numerator) / float(denominator or 1)
        except (ValueError, ZeroDivisionError):
            rate = 0.0
    return _Probe(duration=duration, rate=rate)


def duration_of(src: Path) -> float:
    return _probe(src).duration


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


def _frame_times(stream, times: queue.SimpleQueue, messages: list[str]) -> None:
    """Read ffmpeg's log: the time of each frame ``showinfo`` passes on, in order; the rest kept for errors."""
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace").rstrip()
        if "Parsed_showinfo" in line:
            marker = line.find("pts_time:")
            if marker >= 0:
                times.put(float(line[marker + 9 :].split()[0]))
        elif "[error]" in line or "[fatal]" in line:
            messages.append(line.split("] ", 1)[-1] if line.startswith("[") else line)
    times.put(None)


def _sampling(
    src: Path, workdir: Path, *, interval: float, probe: _Probe, progress: Callable[[float], None] | None
) -> Iterator[tuple[Frame, bool]]:
    """Each sampled frame as ffmpeg decodes it, and whether its picture is new (just written to its file).

    ffmpeg's ``mpdecimate`` drops every frame that looks like the last one kept (no 8x8 block changed by more than
    a few levels: compression noise, not a new line of text), so only new pictures come down the pipe; ``showinfo``
    logs the time of each. The frames repeating a picture every ``interval`` seconds are added here. ffmpeg decodes
    in one thread: the OCR processes keep the other cores busy meanwhile, and more threads cost more CPU in all.
    """
    duration = probe.duration
    skip = ["-skip_frame", "noref"] if probe.rate >= SKIP_FROM else []
    args = [
        FFMPEG, "-hide_banner", "-nostdin", "-nostats", "-loglevel", "level+info", "-threads", "1", *skip,
        "-i", str(src),
        "-map", "0:v:0",
        "-vf", f"fps={RATE},scale='min(iw,{MAX_WIDTH})':-2,mpdecimate,showinfo,extractplanes=y",
        "-fps_mode", "passthrough", "-f", "image2pipe", "-c:v", "pgm", "pipe:1",
    ]  # fmt: skip
    try:
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except FileNotFoundError as error:
        raise DetectError("ffmpeg is not installed: apt-get install ffmpeg") from error
    times: queue.SimpleQueue = queue.SimpleQueue()
    messages: list[str] = []
    reader = threading.Thread(target=_frame_times, args=(process.stderr, times, messages), daemon=True)
    reader.start()
    last: tuple[float, Path] | None = None  # time and file of the last frame given

    def repeats(until: float) -> Iterator[tuple[Frame, bool]]:
        nonlocal last
        while last is not None and last[0] + interval < until - 1e-6:
            last = (round((last[0] + interval) * RATE) / RATE, last[1])
            yield Frame(time=last[0], path=last[1]), False

    count = 0
    try:
        assert process.stdout is not None
        for header, _width, _height, pixels in _pgm_frames(process.stdout):
            time = times.get(timeout=600)
            if time is None:
                break
            time = round(time * RATE) / RATE
            yield from repeats(time)
            path = workdir / f"frame-{round(time * RATE):06d}.pgm"
            path.write_bytes(header + pixels)
            last = (time, path)
            count += 1
            yield Frame(time=time, path=path), True
            if progress is not None and duration > 0:
                progress(min(1.0, time / duration))
        yield from repeats(duration)
    except BaseException:
        process.kill()
        process.wait()
        raise
    process.wait()
    reader.join()
    if process.returncode != 0 or not count:
        detail = messages[-1] if messages else "no picture in the video"
        raise DetectError(f"{src}: frames could not be taken ({detail})")
    if progress is not None:
        progress(1.0)


def sample_frames(
    src: Path,
    workdir: Path,
    *,
    interval: float = INTERVAL,
    progress: Callable[[float], None] | None = None,
) -> list[Frame]:
    """The sampled frames in time order; each new picture is written once into ``workdir`` as a PGM file."""
    probe = _probe(src)
    return [frame for frame, _ in _sampling(src, workdir, interval=interval, probe=probe, progress=progress)]


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


def _read_pgm(path: Path) -> tuple[int, int, bytes]:
    with open(path, "rb") as stream:
        _header, width, height, pixels = next(_pgm_frames(stream))
    return width, height, pixels


def _read_while_sampling(
    sampled: Iterator[tuple[Frame, bool]], *, jobs: int, progress: Callable[[int, int], None]
) -> tuple[list[Frame], dict[Path, list]]:
    """Take the frames from ``sampled`` in a thread and read each new picture as soon as it comes, in ``jobs`` OCR
    engines (each loaded once for all its pictures).

    Decoding the video thus overlaps OCR instead of coming before it. ``progress(read, kept)`` is called from the
    calling thread only (it may write to a database connection that belongs to it).
    """
    frames: list[Frame] = []
    waiting: list[Path] = []
    words: dict[Path, list] = {}
    lock = threading.Condition()
    state = {"sampling": True, "stop": False, "kept": 0}
    events: queue.SimpleQueue = queue.SimpleQueue()

    def sample() -> None:
        try:
            for frame, new in sampled:
                frames.append(frame)
                if new:
                    with lock:
                        if state["stop"]:
                            break
                        waiting.append(frame.path)
                        state["kept"] += 1
                        lock.notify()
        except BaseException as error:  # noqa: BLE001 - handed to the calling thread, which raises it
            events.put(("error", error))
        finally:
            close = getattr(sampled, "close", None)
            if close is not None:
                close()  # stops ffmpeg when sampling ended early
            with lock:
                state["sampling"] = False
                lock.notify_all()
            events.put(("sampled", None))

    def read() -> None:
        engine: Engine | None = None
        try:
            # Loaded while ffmpeg starts and decodes the first frames.
            engine = Engine(timeout=TIMEOUT_PER_IMAGE)
            while True:
                with lock:
                    while not waiting and state["sampling"] and not state["stop"]:
                        lock.wait()
                    if state["stop"] or not waiting:
                        break
                    path = waiting.pop(0)
                words[path] = parse_tsv(engine.read(*_read_pgm(path)), 1)[0]
                events.put(("read", 1))
        except EngineError as error:
            events.put(("error", DetectError(str(error))))
        except BaseException as error:  # noqa: BLE001 - handed to the calling thread, which raises it
            events.put(("error", error))
        finally:
            if engine is not None:
                engine.close()
            events.put(("reader done", None))

    threads = [threading.Thread(target=sample, name="pii-frames", daemon=True)]
    threads += [threading.Thread(target=read, name=f"pii-ocr-{n}", daemon=True) for n in range(jobs)]
    for thread in threads:
        thread.start()
    running, done, failure = jobs + 1, 0, None
    try:
        while running:
            kind, value = events.get()
            if kind == "error":
                failure = failure or value
                with lock:
                    state["stop"] = True
                    lock.notify_all()
            elif kind == "read":
                done += value
                progress(done, state["kept"])
            else:
                running -= 1
    finally:
        with lock:
            state["stop"] = state["stop"] or failure is not None
            lock.notify_all()
        for thread in threads:
            thread.join()
    if failure is not None:
        raise failure
    return frames, words


def find_in_video(
    src: Path,
    *,
    key: bytes | None = None,
    interval: float = INTERVAL,
    jobs: int | None = None,
    progress: Callable[[float], None] | None = None,
) -> list[VideoFinding]:
    """Personal numbers shown in a video file, each with when it shows and where (the box round every place it
    was seen). ``progress`` gets a fraction of the work done, growing as frames are taken and read."""
    src = Path(src)
    if not src.is_file():
        raise DetectError(f"{src}: no such file")
    probe = _probe(src)
    duration = probe.duration
    jobs = max(1, jobs or os.cpu_count() or 1)
    sampled_share = [0.0]
    reported = [0.0]

    def report(read: int, kept: int) -> None:
        # Sampling is about a fifth of the work, OCR the rest; the share read is of the pictures kept so far.
        fraction = sampled_share[0] * (0.2 + 0.8 * read / max(1, kept))
        if progress is not None and fraction > reported[0]:
            reported[0] = fraction
            progress(min(fraction, 0.99))

    def sampled_until(fraction: float) -> None:
        sampled_share[0] = fraction

    with tempfile.TemporaryDirectory(prefix="bangban-pii-frames-") as workdir:
        sampled = _sampling(src, Path(workdir), interval=interval, probe=probe, progress=sampled_until)
        frames, words = _read_while_sampling(sampled, jobs=jobs, progress=report)
    findings = {path: findings_in_words(page, key=key) for path, page in words.items()}
    if progress is not None:
        progress(1.0)
    return merge_frames([(frame.time, findings[frame.path]) for frame in frames], duration=duration)
