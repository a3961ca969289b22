"""A narrated slideshow video from demo screenshots: what an editor would record on a real phone.

Pure functions over files (ffmpeg and espeak-ng from Debian); no Django.
"""

from __future__ import annotations

import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Slide:
    image: Path
    narration: str


def _speak(text: str, dest: Path, *, voice: str) -> float:
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(dest), text], check=True, capture_output=True)
    with wave.open(str(dest)) as handle:
        return handle.getnframes() / handle.getframerate()


def render_slideshow(slides: list[Slide], dest: Path, *, voice: str = "cmn", pause: float = 0.6) -> list[float]:
    """Write an H.264/AAC MP4 showing each slide while its narration plays; return each slide's start second."""
    starts: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bangban-slides-") as tmp:
        work = Path(tmp)
        parts = []
        position = 0.0
        for number, slide in enumerate(slides):
            speech = work / f"speech-{number}.wav"
            seconds = _speak(slide.narration, speech, voice=voice) + pause
            part = work / f"part-{number}.mp4"
            subprocess.run(
                [
                    "ffmpeg",
                    "-v",
                    "error",
                    "-y",
                    "-loop",
                    "1",
                    "-framerate",
                    "10",
                    "-i",
                    str(slide.image),
                    "-i",
                    str(speech),
                    "-af",
                    f"apad=pad_dur={pause}",
                    "-t",
                    f"{seconds:.2f}",
                    "-vf",
                    "scale=720:-2,format=yuv420p",
                    "-c:v",
                    "libx264",
                    "-preset",
                    "veryfast",
                    "-tune",
                    "stillimage",
                    "-c:a",
                    "aac",
                    "-ar",
                    "44100",
                    "-ac",
                    "1",
                    str(part),
                ],
                check=True,
            )
            starts.append(round(position, 2))
            position += seconds
            parts.append(part)
        listing = work / "parts.txt"
        listing.write_text("".join(f"file '{part}'\n" for part in parts))
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", str(dest)],
            check=True,
        )
    return starts
