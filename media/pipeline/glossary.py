"""Known mis-hearings of service names and terms, fixed after recognition; and hotword prompts for engines."""

from __future__ import annotations

import dataclasses
import re

from media.pipeline.types import Transcript


def _is_word_edge(char: str) -> bool:
    # A term's Latin or digit edge must not touch another letter or digit ("app" is not inside "apple").
    # Chinese has no spaces between words, so a Chinese edge needs no boundary; longest-first decides overlaps.
    return char.isascii() and char.isalnum()


def _pattern(corrections: dict[str, str]) -> re.Pattern[str] | None:
    terms = sorted({term for term in corrections if term.strip()}, key=lambda term: (-len(term), term))
    if not terms:
        return None
    alternatives = []
    for term in terms:
        escaped = re.escape(term)
        if _is_word_edge(term[0]):
            escaped = rf"(?<![A-Za-z0-9]){escaped}"
        if _is_word_edge(term[-1]):
            escaped = rf"{escaped}(?![A-Za-z0-9])"
        alternatives.append(escaped)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def correct(text: str, corrections: dict[str, str]) -> str:
    """Replace each known mis-hearing (a key) by its correction, in one pass.

    The longest term wins where terms overlap, Latin terms match whole words only and ignoring case, and a
    replacement is never corrected again.
    """
    pattern = _pattern(corrections)
    if pattern is None:
        return text
    folded = {term.casefold(): replacement for term, replacement in corrections.items()}

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        return corrections.get(found, folded.get(found.casefold(), found))

    return pattern.sub(replace, text)


def correct_transcript(transcript: Transcript, corrections: dict[str, str]) -> Transcript:
    """The transcript with ``correct`` applied to every segment; times are unchanged."""
    segments = tuple(
        dataclasses.replace(segment, text=correct(segment.text, corrections)) for segment in transcript.segments
    )
    return dataclasses.replace(transcript, segments=segments)


def hotwords(terms: list[str]) -> str:
    """A space-joined prompt of the terms, in the given order, blanks and repeats dropped."""
    seen: dict[str, None] = {}
    for term in terms:
        cleaned = " ".join(term.split())
        if cleaned:
            seen.setdefault(cleaned, None)
    return " ".join(seen)
