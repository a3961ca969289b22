"""Watched stretches of a video as merged, sorted [start, end] pairs (pure functions, no Django)."""

from __future__ import annotations

from collections.abc import Iterable

Range = tuple[float, float]


class RangeError(ValueError):
    """A reported range that is not a pair of numbers."""


def parse_ranges(raw: object, *, limit: int = 500) -> list[Range]:
    """[[start, end], ...] as the player sends it; anything else raises RangeError with a readable reason."""
    if not isinstance(raw, list):
        raise RangeError("ranges must be a list of [start, end] pairs")
    if len(raw) > limit:
        raise RangeError(f"at most {limit} ranges at a time")
    ranges = []
    for item in raw:
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise RangeError("each range must be a [start, end] pair")
        start, end = item
        if isinstance(start, bool) or isinstance(end, bool):
            raise RangeError("range bounds must be numbers")
        if not isinstance(start, int | float) or not isinstance(end, int | float):
            raise RangeError("range bounds must be numbers")
        if (
            start != start
            or end != end
            or start in (float("inf"), float("-inf"))
            or end in (float("inf"), float("-inf"))
        ):
            raise RangeError("range bounds must be finite numbers")
        ranges.append((float(start), float(end)))
    return ranges


def merge_ranges(ranges: Iterable[Range], *, duration: float) -> list[Range]:
    """Clamp to [0, duration], drop empty or reversed ranges, and join those that overlap or touch."""
    clamped = sorted(
        (max(0.0, start), min(duration, end)) for start, end in ranges if min(duration, end) > max(0.0, start)
    )
    merged: list[Range] = []
    for start, end in clamped:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def covered_seconds(ranges: Iterable[Range]) -> float:
    """Total length of already merged ranges."""
    return sum(end - start for start, end in ranges)
