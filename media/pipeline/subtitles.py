"""Captions from a transcript, following common caption rules, and WebVTT / SRT / JSON in and out.

Rules (as in the Netflix and BBC caption guides): at most two lines per cue; about 16 Chinese characters or 42 Latin
characters per line; each cue on screen at least 0.7 s; a long segment becomes several cues whose times follow
their share of the text; lines and cues break at spaces in Latin text and, preferably, after punctuation in
Chinese text, never before a closing mark (，。) or after an opening one (（「).
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from media.pipeline.types import Cue, PipelineError, SubtitleTrack, Transcript

CJK_MAX_CHARS = 16
LATIN_MAX_CHARS = 42
CJK_LANGUAGES = frozenset({"zh", "yue", "wuu", "cmn", "ja", "ko"})

_SENTENCE_END = frozenset("。！？…!?.")
_CLAUSE_END = frozenset("，、；：,;:")
# Never start a line with these: they stay with the character before them.
_CLOSING = frozenset("，。！？、；：）」』”’》〉】〕…·,.!?;:)]}%")
# Never end a line with these: they stay with the character after them.
_OPENING = frozenset("（「『“‘《〈【〔([{")
# How strongly a break after punctuation is preferred, as a share of the line (or cue) width.
_BREAK_BONUS = {2: 0.6, 1: 0.25, 0: 0.0}


@dataclass(frozen=True)
class _Token:
    """The smallest unit a line may break around: a Latin word or number, or one Chinese character
    with the punctuation that sticks to it."""

    text: str
    space_before: bool
    width: int  # display columns: a Chinese character is 2, a Latin letter 1


def _is_wide(char: str, *, cjk: bool = False) -> bool:
    # "Ambiguous" characters (“ ” … ·) are drawn full width by Chinese fonts.
    return unicodedata.east_asian_width(char) in (("W", "F", "A") if cjk else ("W", "F"))


def _columns(text: str, *, cjk: bool) -> int:
    return sum(2 if _is_wide(char, cjk=cjk) else 1 for char in text)


def _tokenize(text: str, *, cjk: bool) -> list[_Token]:
    pieces: list[list] = []  # [text, space_before]
    pending_space = False
    for char in text:
        if char.isspace():
            pending_space = bool(pieces)
            continue
        previous = pieces[-1][0] if pieces else ""
        wide = _is_wide(char, cjk=cjk)
        glue_to_previous = bool(previous) and (
            (char in _CLOSING and (wide or not pending_space))
            or (previous[-1] in _OPENING and not pending_space)
            or (not wide and not _is_wide(previous[-1], cjk=cjk) and not pending_space)
        )
        if glue_to_previous:
            pieces[-1][0] += char
        else:
            pieces.append([char, pending_space])
        pending_space = False
    return [_Token(text, space_before, _columns(text, cjk=cjk)) for text, space_before in pieces]


def _fit_tokens(tokens: list[_Token], line_width: int, *, cjk: bool) -> list[_Token]:
    """Cut any token wider than a line (a URL, a run of digits) into line-sized pieces, so every line fits."""
    fitted: list[_Token] = []
    for token in tokens:
        if token.width <= line_width:
            fitted.append(token)
            continue
        piece, space_before = "", token.space_before
        for char in token.text:
            if piece and _columns(piece + char, cjk=cjk) > line_width:
                fitted.append(_Token(piece, space_before, _columns(piece, cjk=cjk)))
                piece, space_before = "", False
            piece += char
        if piece:
            fitted.append(_Token(piece, space_before, _columns(piece, cjk=cjk)))
    return fitted


def _uses_cjk_rules(language: str, text: str) -> bool:
    base = language.lower().replace("_", "-").split("-")[0]
    if base in CJK_LANGUAGES:
        return True
    # An engine may mislabel the language; the script of the text decides then.
    letters = [char for char in text if char.isalpha()]
    return bool(letters) and sum(_is_wide(char) for char in letters) * 2 > len(letters)


class _Layout:
    """Widths and break preferences of one segment's tokens, and the balanced splitting both lines and cues use."""

    def __init__(self, tokens: Sequence[_Token], *, cjk: bool) -> None:
        self.tokens = tokens
        self.cjk = cjk
        # prefix[i] = width of tokens[:i] laid on one line, spaces included
        self.prefix = [0]
        for index, token in enumerate(tokens):
            space = 1 if token.space_before and index > 0 else 0
            self.prefix.append(self.prefix[-1] + space + token.width)

    def width(self, start: int, stop: int) -> int:
        space = 1 if self.tokens[start].space_before and start > 0 else 0
        return self.prefix[stop] - self.prefix[start] - space

    def quality(self, last: int) -> int:
        """How good a break after token ``last`` is: 2 after a sentence, 1 after a clause, 0 otherwise."""
        end = self.tokens[last].text.rstrip("”’」』）)\"'")[-1:] or self.tokens[last].text[-1]
        if end in _SENTENCE_END:
            return 2
        if end in _CLAUSE_END:
            return 1
        following = self.tokens[last + 1] if last + 1 < len(self.tokens) else None
        # Whisper often writes Chinese phrases separated by spaces instead of commas.
        return 1 if self.cjk and following is not None and following.space_before else 0

    def text(self, start: int, stop: int) -> str:
        parts = [self.tokens[start].text]
        for token in self.tokens[start + 1 : stop]:
            parts.append((" " if token.space_before else "") + token.text)
        return "".join(parts)

    def split(self, start: int, stop: int, *, capacity: int, fits: Callable[[int, int], bool]) -> list[int]:
        """Cut tokens[start:stop] into parts that each ``fits``; returns the indices where parts end.

        Each cut aims at an even share of the remaining width and moves towards punctuation when it can,
        but only where the rest still fits in the fewest parts, so a preference never costs an extra part.
        """
        ends: list[int] = []
        while start < stop:
            if fits(start, stop):
                ends.append(stop)
                break
            remaining = self.width(start, stop)
            parts = max(2, math.ceil(remaining / capacity))
            target = remaining / parts
            best, best_cost, greedy = None, math.inf, start + 1
            for end in range(start + 1, stop):
                if not fits(start, end):
                    break
                greedy = end
                if self.width(end, stop) > (parts - 1) * capacity:
                    continue
                cost = abs(self.width(start, end) - target) / capacity - _BREAK_BONUS[self.quality(end - 1)]
                if cost < best_cost:
                    best, best_cost = end, cost
            cut = best if best is not None else greedy  # a word wider than a line still gets a part of its own
            ends.append(cut)
            start = cut
        return ends

    def lines(self, start: int, stop: int, line_width: int) -> list[tuple[int, int]]:
        ends = self.split(start, stop, capacity=line_width, fits=lambda a, b: self.width(a, b) <= line_width)
        return list(zip([start, *ends[:-1]], ends, strict=True))


def _share_time(start: float, end: float, weights: list[int], min_duration: float) -> list[tuple[float, float]]:
    """Split [start, end] in proportion to ``weights``, giving each part at least ``min_duration`` when there is
    room for that."""
    duration = max(end - start, 0.0)
    total = sum(weights)
    shares = [duration * weight / total for weight in weights]
    if len(weights) * min_duration <= duration:
        floored: set[int] = set()
        while True:
            free = duration - len(floored) * min_duration
            rest = sum(weights[i] for i in range(len(weights)) if i not in floored)
            shares = [min_duration if i in floored else free * weights[i] / rest for i in range(len(weights))]
            short = {i for i, share in enumerate(shares) if share < min_duration} - floored
            if not short:
                break
            floored |= short
    times, cursor = [], start
    for share in shares:
        times.append((cursor, cursor + share))
        cursor += share
    if times:
        times[-1] = (times[-1][0], max(end, times[-1][0]))
    return times


def cues_from_transcript(
    transcript: Transcript,
    *,
    max_lines: int = 2,
    max_chars: int | None = None,
    min_duration: float = 0.7,
) -> SubtitleTrack:
    """Lay the transcript's segments out as caption cues (see the module docstring for the rules).

    ``max_chars`` counts characters of the transcript's script: Chinese characters for Chinese (a Latin letter
    inside Chinese text counts as half), Latin characters otherwise. None picks 16 or 42 by language and script.
    """
    if max_lines < 1:
        raise ValueError("max_lines must be at least 1")
    cjk = _uses_cjk_rules(transcript.language, transcript.text)
    chars = max_chars if max_chars is not None else (CJK_MAX_CHARS if cjk else LATIN_MAX_CHARS)
    if chars < 1:
        raise ValueError("max_chars must be at least 1")
    line_width = chars * 2 if cjk else chars

    drafts: list[Cue] = []
    for segment in sorted(transcript.segments, key=lambda s: s.start):
        tokens = _fit_tokens(_tokenize(segment.text, cjk=cjk), line_width, cjk=cjk)
        if not tokens:
            continue
        layout = _Layout(tokens, cjk=cjk)

        def fits_cue(a: int, b: int, layout: _Layout = layout) -> bool:
            return layout.width(a, b) <= line_width * max_lines and len(layout.lines(a, b, line_width)) <= max_lines

        ends = layout.split(0, len(tokens), capacity=line_width * max_lines, fits=fits_cue)
        spans = list(zip([0, *ends[:-1]], ends, strict=True))
        weights = [max(1, sum(token.width for token in tokens[a:b])) for a, b in spans]
        # A segment without length (an engine glitch) still gets its cues on screen, one after the other.
        seg_end = segment.end if segment.end > segment.start else segment.start + min_duration * len(spans)
        times = _share_time(segment.start, seg_end, weights, min_duration)
        for (a, b), (start, end) in zip(spans, times, strict=True):
            text = "\n".join(layout.text(x, y) for x, y in layout.lines(a, b, line_width))
            drafts.append(Cue(start=start, end=end, text=text))

    cues: list[Cue] = []
    for index, cue in enumerate(drafts):
        following = drafts[index + 1].start if index + 1 < len(drafts) else math.inf
        start = max(cue.start, 0.0)
        end = min(max(cue.end, start), following)  # engines sometimes overlap segments
        if end - start < min_duration:
            end = min(start + min_duration, following)  # only into the gap before the next cue
        cues.append(Cue(start=round(start, 3), end=round(max(end, start), 3), text=cue.text))
    return SubtitleTrack(language=transcript.language, cues=tuple(cues))


# --- formats -------------------------------------------------------------------------------------------------------


def _to_pysubs2(track: SubtitleTrack, *, webvtt: bool):
    import pysubs2

    subs = pysubs2.SSAFile()
    for cue in track.cues:
        text = cue.text.replace("-->", "->")  # the arrow would read as a timing line
        if webvtt:  # WebVTT text is HTML-like: a bare "<" or "&" would start a tag or an entity
            text = html.escape(text, quote=False)
        event = pysubs2.SSAEvent(start=round(cue.start * 1000), end=round(cue.end * 1000))
        event.plaintext = text
        subs.append(event)
    return subs


def to_webvtt(track: SubtitleTrack) -> str:
    # keep_ssa_tags: our text has no styling; without it braces in a caption would be read as ASS override tags.
    return _to_pysubs2(track, webvtt=True).to_string("vtt", keep_ssa_tags=True)


def to_srt(track: SubtitleTrack) -> str:
    return _to_pysubs2(track, webvtt=False).to_string("srt", keep_ssa_tags=True)


def to_json(track: SubtitleTrack) -> list[dict]:
    return [{"start": round(cue.start, 3), "end": round(cue.end, 3), "text": cue.text} for cue in track.cues]


# pysubs2 drops a cue's last line when it is only digits, taking it for the next cue's number; that loses lines
# such as the 12345 hotline. A digits-only line not followed by a timing line is text, so it is marked to survive.
_DIGITS_LINE = re.compile(r"^[ \t]*\d+[ \t]*$")
_KEEP = "\ue000"


def _protect_number_lines(text: str) -> str:
    lines = text.split("\n")
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if _DIGITS_LINE.match(line) and "-->" not in following:
            lines[index] = _KEEP + line
    return "\n".join(lines)


_TAG = re.compile(r"</?[A-Za-z][^>]*>|<\d[\d:.]*>")  # <i>, <c.yellow>, <v Speaker>, karaoke <00:01.500>
_BLANK_LINE = re.compile(r"\\N\s*\\N")


def parse_subtitles(text: str, *, language: str) -> SubtitleTrack:
    """Read WebVTT or SRT (detected from the text) into a track; styling tags are dropped."""
    import pysubs2

    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    try:
        fmt = pysubs2.formats.autodetect_format(text)
    except pysubs2.exceptions.Pysubs2Error as error:
        raise PipelineError("These are not WebVTT or SRT subtitles: no cue timings were found.") from error
    if fmt not in ("srt", "vtt"):
        raise PipelineError(f"Only WebVTT and SRT subtitles can be read, not {fmt.upper()}.")
    subs = pysubs2.SSAFile.from_string(_protect_number_lines(text), format_=fmt, keep_html_tags=True)

    cues: list[Cue] = []
    for event in subs:
        if event.is_comment:
            continue
        # Cue text ends at the first blank line; what follows (a NOTE block, the next cue's identifier) is not text.
        body = _BLANK_LINE.split(event.text)[0].replace(r"\N", "\n").replace(_KEEP, "")
        body = _TAG.sub("", body)
        if fmt == "vtt":
            body = html.unescape(body)
        lines = [line.strip() for line in body.split("\n") if line.strip()]
        if not lines:
            continue
        start = event.start / 1000
        cues.append(Cue(start=start, end=max(event.end / 1000, start), text="\n".join(lines)))
    cues.sort(key=lambda cue: (cue.start, cue.end))
    return SubtitleTrack(language=language, cues=tuple(cues))
