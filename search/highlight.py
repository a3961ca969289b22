"""Marking what a search matched, in Python: whole phrases and words, HTML-escaped around the marks.

Elasticsearch's highlighter re-analyses every returned text per request and was the largest single cost of a
search (about 7 of 10 ms per query on 10,000 tutorials). The texts are short and the terms are known (the query's
phrase and key words, and their synonym forms), so finding them here is cheaper and marks the same things: a
phrase or a word of two or more characters, never each character of the query on its own.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterable

MARK_PRE, MARK_POST = "<mark>", "</mark>"
ELLIPSIS = "…"


_WHITESPACE = re.compile(r"\s")


class Terms:
    """The terms of one search, found in texts case-insensitively, leftmost first and longest first at a place.

    Texts without whitespace (nearly all Chinese text) are searched with str.find on the lower-cased text, which
    is several times cheaper than compiling a regular expression for each new question; a text with whitespace
    uses one, compiled on first need, since a space in a term matches any run of spaces or none there.
    """

    __slots__ = ("_terms", "_squeezed", "_regex")

    def __init__(self, terms: tuple[str, ...]) -> None:
        self._terms = terms
        self._squeezed = tuple(dict.fromkeys("".join(term.split()).lower() for term in terms))
        self._regex: re.Pattern[str] | None = None

    def _pattern(self) -> re.Pattern[str]:
        if self._regex is None:
            pieces = (r"\s*".join(re.escape(piece) for piece in term.split()) for term in self._terms)
            self._regex = re.compile("|".join(pieces), re.I)
        return self._regex

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each match in `text`, in order, none overlapping."""
        lowered = text.lower()
        if len(lowered) != len(text) or _WHITESPACE.search(text):
            return [m.span() for m in self._pattern().finditer(text) if m.end() > m.start()]
        found = []
        for term in self._squeezed:
            at = lowered.find(term)
            while at != -1:
                found.append((at, at + len(term)))
                at = lowered.find(term, at + 1)
        found.sort(key=lambda span: (span[0], -span[1]))
        spans, end = [], 0
        for span in found:
            if span[0] >= end:
                spans.append(span)
                end = span[1]
        return spans


def pattern(terms: Iterable[str]) -> Terms | None:
    """The terms to mark (None when there are none); a space in a term matches any run of spaces or none (the
    query 查 社保 was cut into words; the text says 查社保)."""
    return _compiled(tuple(sorted({t.strip() for t in terms if t and t.strip()}, key=lambda t: (-len(t), t))))


@functools.lru_cache(maxsize=2048)
def _compiled(terms: tuple[str, ...]) -> Terms | None:
    return Terms(terms) if terms else None


def mark(text: str, found: Terms | None) -> str:
    """`text` HTML-escaped, with every match of `found` wrapped in <mark> (touching matches in one)."""
    if not text:
        return ""
    if found is None:
        return html.escape(text)
    return _marked(text, found.spans(text))


def _marked(text: str, found_spans: list[tuple[int, int]]) -> str:
    spans: list[list[int]] = []
    for start, end in found_spans:
        if spans and spans[-1][1] == start:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    out, last = [], 0
    for start, end in spans:
        out.append(html.escape(text[last:start]))
        out.append(MARK_PRE + html.escape(text[start:end]) + MARK_POST)
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def fragment(text: str, found: Terms | None, size: int) -> str | None:
    """About `size` characters of `text` around its first match, marked, with … where it was cut; None if no match."""
    if found is None or not text:
        return None
    return _fragment(text, found.spans(text), size)


def _fragment(text: str, spans: list[tuple[int, int]], size: int) -> str | None:
    """fragment() from the matches already found in `text`; a match cut by the window is marked as far as it shows."""
    if not spans:
        return None
    if len(text) <= size:
        return _marked(text, spans)
    # The match a quarter of the way in: some words before it for context, more after it.
    first_start, first_end = spans[0]
    start = max(0, min(first_start - size // 4, len(text) - size))
    end = min(len(text), start + max(size, first_end - start))
    inside = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
    piece = _marked(text[start:end], inside)
    return (ELLIPSIS if start > 0 else "") + piece + (ELLIPSIS if end < len(text) else "")


def best_fragments(texts: Iterable[str], found: Terms | None, *, size: int, count: int) -> list[str]:
    """Fragments of the `count` texts with the most matched characters (ties: the earlier text), in text order.
    Each text is searched once: its matches rank it and make its fragment."""
    if found is None:
        return []
    ranked = []
    for n, text in enumerate(texts):
        spans = found.spans(text) if text else []
        if spans:
            ranked.append((sum(end - start for start, end in spans), n, text, spans))
    best = sorted(ranked, key=lambda item: (-item[0], item[1]))[:count]
    return [f for _, _, text, spans in sorted(best, key=lambda item: item[1]) if (f := _fragment(text, spans, size))]
