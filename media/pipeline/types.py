"""Values the pipeline functions take and return. Frozen, so a stage's result can be stored and compared."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# A stage reports how far it has got, from 0.0 to 1.0.
Progress = Callable[[float], None]


class PipelineError(Exception):
    """A problem with the input that a person can act on. ``str(error)`` is the readable reason."""


class NotAVideo(PipelineError):
    pass


class NoAudioTrack(PipelineError):
    pass


class OverLimit(PipelineError):
    pass


class ModelUnavailable(PipelineError):
    pass


@dataclass(frozen=True)
class ProbeResult:
    duration: float
    size_bytes: int
    format_name: str
    width: int | None
    height: int | None
    video_codec: str | None
    audio_codec: str | None
    bit_rate: int | None
    faststart: bool

    @property
    def has_video(self) -> bool:
        return self.video_codec is not None

    @property
    def has_audio(self) -> bool:
        return self.audio_codec is not None


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Transcript:
    language: str
    segments: tuple[Segment, ...]
    engine: str
    model: str

    @property
    def text(self) -> str:
        return " ".join(segment.text for segment in self.segments)


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str  # at most two lines, joined by "\n"

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass(frozen=True)
class SubtitleTrack:
    language: str
    cues: tuple[Cue, ...]
