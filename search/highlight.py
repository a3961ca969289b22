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


def pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for all terms, longest first; a space in a term matches any run of spaces or
    none (the query 查 社保 was cut into words; the text says 查社保)."""
    return _compiled(tuple(sorted({t.strip() for t in terms if t and t.strip()}, key=lambda t: (-len(t), t))))


@functools.lru_cache(maxsize=2048)
def _compiled(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    # Compiling a pattern costs more than using it; popular questions come back with the same terms.
    if not terms:
        return None
    return re.compile("|".join(r"\s*".join(re.escape(piece) for piece in term.split()) for term in terms), re.I)


def mark(text: str, found: re.Pattern[str] | None) -> str:
    """`text` HTML-escaped, with every match of `found` wrapped in <mark> (touching matches in one)."""
    if not text:
        return ""
    if found is None:
        return html.escape(text)
    spans: list[list[int]] = []
    for match in found.finditer(text):
        if match.end() == match.start():
            continue
        if spans and spans[-1][1] == match.start():
            spans[-1][1] = match.end()
        else:
            spans.append([match.start(), match.end()])
    out, last = [], 0
    for start, end in spans:
        out.append(html.escape(text[last:start]))
        out.append(MARK_PRE + html.escape(text[start:end]) + MARK_POST)
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def matched_chars(text: str, found: re.Pattern[str] | None) -> int:
    return sum(m.end() - m.start() for m in found.finditer(text)) if found is not None and text else 0


def fragment(text: str, found: re.Pattern[str] | None, size: int) -> str | None:
    """About `size` characters of `text` around its first match, marked, with … where it was cut; None if no match."""
    if found is None or not text:
        return None
    first = found.search(text)
    if first is None or first.end() == first.start():
        return None
    if len(text) <= size:
        return mark(text, found)
    # The match a quarter of the way in: some words before it for context, more after it.
    start = max(0, min(first.start() - size // 4, len(text) - size))
    end = min(len(text), start + max(size, first.end() - start))
    piece = mark(text[start:end], found)
    return (ELLIPSIS if start > 0 else "") + piece + (ELLIPSIS if end < len(text) else "")


def best_fragments(texts: Iterable[str], found: re.Pattern[str] | None, *, size: int, count: int) -> list[str]:
    """Fragments of the `count` texts with the most matched characters (ties: the earlier text), in text order."""
    if found is None:
        return []
    ranked = [(matched_chars(text, found), n, text) for n, text in enumerate(texts)]
    best = sorted((item for item in ranked if item[0] > 0), key=lambda item: (-item[0], item[1]))[:count]
    return [f for _, _, text in sorted(best, key=lambda item: item[1]) if (f := fragment(text, found, size))]
