"""The sound track as speech recognisers want it, and a check for videos that have nothing to transcribe."""

from __future__ import annotations

import math
import operator
import wave
from array import array
from collections.abc import Iterator
from pathlib import Path

from media.pipeline._ffmpeg import atomic_path, ffmpeg_command, run_ffmpeg
from media.pipeline.probe import run_ffprobe
from media.pipeline.types import NoAudioTrack, NotAVideo, PipelineError

SAMPLE_RATE = 16_000
# Loudness is judged per window so that a few seconds of speech in a long quiet video still count,
# while a single click does not move a window's average much.
_WINDOW_SECONDS = 0.05
_TYPECODES = {1: "b", 2: "h", 4: "i"}


def extract_audio(src: Path, dest: Path) -> Path:
    """Write ``dest``: the first audio track of ``src`` as 16 kHz mono 16-bit PCM WAV.

    Raises NoAudioTrack when the file has no sound track at all.
    """
    src, dest = Path(src), Path(dest)
    if not src.is_file() or src.stat().st_size == 0:
        raise NotAVideo(f"The file {src.name!r} is missing or empty.")
    info = run_ffprobe(src)
    if isinstance(info, str):
        raise NotAVideo(f"The file could not be read ({info}).")
    if not any(stream.get("codec_type") == "audio" for stream in info.get("streams", [])):
        raise NoAudioTrack("The video has no sound track, so there is no speech to turn into subtitles.")

    with atomic_path(dest) as tmp:
        args = ffmpeg_command(
            "-i", src, "-map", "0:a:0", "-vn", "-sn", "-dn",
            "-ac", "1", "-ar", str(SAMPLE_RATE), "-c:a", "pcm_s16le",
            # No metadata chunks: a plain 44-byte header that every WAV reader accepts.
            "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
            "-f", "wav", tmp,
        )  # fmt: skip
        run_ffmpeg(args, what="Extracting the sound track")
    return dest


def _window_levels(wav: Path) -> Iterator[float]:
    """The RMS level (dBFS) of each 50 ms window of the WAV, in order; ``-inf`` for digital silence."""
    try:
        reader = wave.open(str(wav), "rb")
    except (wave.Error, EOFError) as error:
        raise PipelineError(f"Could not read the WAV file {wav.name!r}: {error}") from error
    with reader:
        width, rate = reader.getsampwidth(), reader.getframerate()
        if width not in _TYPECODES:
            raise PipelineError(f"Unsupported WAV sample size: {8 * width} bits (expected 8, 16 or 32).")
        full_power = float(1 << (8 * width - 1)) ** 2
        window = max(1, round(rate * _WINDOW_SECONDS)) * reader.getnchannels()
        frames_per_read = max(1, round(rate * _WINDOW_SECONDS)) * 200  # ten seconds, a whole number of windows
        while chunk := reader.readframes(frames_per_read):
            if width == 1:  # 8-bit WAV is unsigned, centred on 128
                chunk = bytes((value - 128) & 0xFF for value in chunk)
            samples = array(_TYPECODES[width], chunk)
            for start in range(0, len(samples), window):
                part = samples[start : start + window]
                power = sum(map(operator.mul, part, part)) / len(part) / full_power
                yield 10 * math.log10(power) if power > 0 else -math.inf


def loudest_window_db(wav: Path) -> float:
    """The RMS level (dBFS) of the loudest 50 ms window of the WAV; ``-inf`` when it is all digital silence."""
    return max(_window_levels(Path(wav)), default=-math.inf)


def is_silent(wav: Path, *, threshold_db: float = -50) -> bool:
    """True when no 50 ms stretch of the WAV is louder than ``threshold_db`` (RMS, dBFS): nothing to transcribe."""
    # Stops at the first loud window, so speech is recognised without reading the whole file.
    return all(level < threshold_db for level in _window_levels(Path(wav)))
