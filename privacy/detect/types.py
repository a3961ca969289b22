"""What the detectors return. Nothing here holds a full number: only its kind, place, masked form and a keyed digest."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    RESIDENT_ID = "resident_id"
    MOBILE = "mobile"
    BANK_CARD = "bank_card"


class DetectError(RuntimeError):
    """A scan could not run (a missing binary, an unreadable file); the message says what to do."""


@dataclass(frozen=True)
class Box:
    """A pixel rectangle: left and top inclusive, right and bottom exclusive."""

    left: int
    top: int
    right: int
    bottom: int

    def union(self, other: Box) -> Box:
        return Box(
            min(self.left, other.left),
            min(self.top, other.top),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom
        )

    def as_list(self) -> list[int]:
        return [self.left, self.top, self.right, self.bottom]


@dataclass(frozen=True)
class Finding:
    """A number found in text. ``span`` is (start, end) in the scanned string, end exclusive.

    ``fingerprint`` is a keyed digest of the number: equal for the same number under the same key, so a later
    rescan or another frame can be matched to it without the number itself being kept anywhere.
    """

    kind: Kind
    span: tuple[int, int]
    masked: str
    fingerprint: str


@dataclass(frozen=True)
class ImageFinding:
    kind: Kind
    box: Box
    masked: str
    fingerprint: str


@dataclass(frozen=True)
class VideoFinding:
    """A number seen in a video from ``start`` until ``end`` seconds (the first sampled frame no longer showing it).

    ``box`` holds every place it was seen; ``track`` is where it was in each sampled frame, for a mask that follows
    a number as the screen scrolls.
    """

    kind: Kind
    start: float
    end: float
    box: Box
    masked: str
    fingerprint: str
    track: tuple[tuple[float, Box], ...] = ()
