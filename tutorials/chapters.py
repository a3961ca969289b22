"""Video chapters of tutorial steps: where each step's part of a shared video begins and ends, which subtitle cues
fall in it, and chapter times suggested from the approved transcript. Pure functions; no Django."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Cue and chapter times are edited to the hundredth of a second; closer than this counts as the same instant.
EPSILON = 0.005


@dataclass(frozen=True)
class Chapter:
    start: float
    end: float | None  # None: to the end of the video (its duration is not known)


@dataclass(frozen=True)
class StepVideo:
    """What one step says about its video: which one, and the start and end the editor typed (None: empty)."""

    video_id: int | None
    start: float | None = None
    end: float | None = None


def chapter_spans(steps: Sequence[StepVideo], durations: Mapping[int, float | None]) -> list[Chapter | None]:
    """Each step's chapter (None for a step without a video).

    A chapter ends at the explicit end, else where the next part of the same video begins (the nearest later start
    among the other steps, in whatever order the steps are), else at the end of the video.
    """
    spans: list[Chapter | None] = []
    for step in steps:
        if step.video_id is None:
            spans.append(None)
            continue
        start = float(step.start or 0)
        end = float(step.end) if step.end is not None else None
        if end is None:
            later = [
                float(other.start or 0)
                for other in steps
                if other.video_id == step.video_id and float(other.start or 0) > start + EPSILON
            ]
            end = min(later) if later else durations.get(step.video_id)
        spans.append(Chapter(start=start, end=end))
    return spans


def in_chapter(cue_start: float, cue_end: float, chapter: Chapter) -> bool:
    """Whether a cue shows during the chapter (overlaps it by more than an instant)."""
    end = chapter.end if chapter.end is not None else float("inf")
    return cue_end > chapter.start + EPSILON and cue_start < end - EPSILON


def flowing_text(text: str) -> str:
    """A subtitle's hard line breaks joined back into the sentence: no space between two Chinese characters
    ("认准开发\\n者" -> "认准开发者"), one space between words of other scripts."""
    parts = [part.strip() for part in text.splitlines() if part.strip()]
    if not parts:
        return ""
    out = parts[0]
    for part in parts[1:]:
        out += part if _wide(out[-1]) or _wide(part[0]) else " " + part
    return out


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def _bigrams(text: str) -> set[str]:
    letters = _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).lower())
    if len(letters) == 1:
        return {letters}
    return {letters[i : i + 2] for i in range(len(letters) - 1)}


def similarity(step_text: str, cue_text: str) -> float:
    """How much of a cue the step's text says: the share of the cue's character bigrams found in the step's text
    (narration usually reads the step aloud with a few words around it)."""
    cue = _bigrams(cue_text)
    if not cue:
        return 0.0
    return len(cue & _bigrams(step_text)) / len(cue)


def suggest_chapter_starts(step_texts: Sequence[str], cues: Sequence[tuple[float, float, str]]) -> list[float]:
    """One start second per step, in step order: the cues are split into consecutive runs, one run per step, so
    that the cues match their step's text best in total (dynamic programming over cue x step); each step starts
    at its run's first cue, and the first step at the first cue.

    Raises ValueError when there are fewer cues than steps.
    """
    steps, count = len(step_texts), len(cues)
    if steps == 0:
        return []
    if count < steps:
        raise ValueError(f"{steps} steps need at least {steps} subtitle lines; the video has {count}.")
    ordered = sorted(cues, key=lambda cue: cue[0])
    # A hair less for each later step: a cue that matches no step stays with the step before it, so a step starts at
    # the first cue that speaks of it.
    score = [[similarity(text, cue[2]) - 1e-6 * j for j, text in enumerate(step_texts)] for cue in ordered]
    minus = float("-inf")
    # best[i][j]: the best total with cue i in step j and cues 0..i in steps 0..j, every step given a cue.
    best = [[minus] * steps for _ in range(count)]
    came_from = [[0] * steps for _ in range(count)]
    best[0][0] = score[0][0]
    for i in range(1, count):
        for j in range(min(i + 1, steps)):
            stay = best[i - 1][j]
            move = best[i - 1][j - 1] if j > 0 else minus
            if stay >= move:
                best[i][j], came_from[i][j] = stay + score[i][j], j
            else:
                best[i][j], came_from[i][j] = move + score[i][j], j - 1
    starts = [0.0] * steps
    j = steps - 1
    for i in range(count - 1, -1, -1):
        starts[j] = ordered[i][0]
        j = came_from[i][j] if i > 0 else j
    return [round(start, 2) for start in starts]
