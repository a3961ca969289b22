"""Moodle's GIFT format: read and write.

Questions are separated by blank lines; ``//`` lines are comments (``// [tag:name]`` tags the question below it);
``$CATEGORY: a/b`` sets the category of the questions that follow. A question is ``::title:: text {answers}``:
``{=right ~wrong}`` single choice, ``{~%50%a ~%50%b ~%-100%c}`` multiple choice, ``{T}``/``{FALSE}`` true/false
(``{T#feedback if wrong#feedback if right}``), ``{=a =%50%b}`` short answer, ``{=a -> 1 =b -> 2}`` matching.
``#`` after an answer is its feedback, ``####`` the question's general feedback; ``\\~ \\= \\# \\{ \\} \\:`` and
``\\n`` are escapes. An answer block in the middle of the text leaves a ``_____`` blank (Moodle's missing word).
Numerical, essay and description questions are reported as unsupported rather than silently dropped.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from training.quiz.types import (
    CannotWrite,
    Choice,
    InvalidQuestion,
    Issue,
    Matching,
    MultipleChoice,
    Pair,
    Parsed,
    Question,
    QuestionBank,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
    gettext_noop,
    normalise_category,
)

# Escaped specials become private-use characters while the structure is parsed, then turn back.
_SPECIALS = ":#={}~\\"
_HOLD = {char: chr(0xE000 + index) for index, char in enumerate(_SPECIALS)}
_RELEASE = {held: char for char, held in _HOLD.items()}
_ESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)
_WEIGHT_RE = re.compile(r"^%\s*(-?\d+(?:\.\d+)?)\s*%")
_FORMAT_RE = re.compile(r"^\[(html|moodle|plain|markdown)\]")
_TAG_RE = re.compile(r"\[tag:((?:\\\]|[^\]<>\x00-\x1f])+)\]")
_TF = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_BLANK = "_____"


class _Bad(Exception):
    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


def _hold(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        char = match.group(1)
        if char == "n":
            return "\n"
        return _HOLD.get(char, match.group(0))

    return _ESCAPE_RE.sub(replace, text)


def _release(text: str) -> str:
    text = text.strip()
    text = _FORMAT_RE.sub("", text, count=1)
    return "".join(_RELEASE.get(char, char) for char in text).strip()


def _blocks(source: str) -> list[tuple[int, list[str], list[str]]]:
    """Split into (first line number, comment lines, text lines) at blank lines."""
    blocks: list[tuple[int, list[str], list[str]]] = []
    start, comments, lines = 0, [], []
    for number, line in enumerate(source.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            if lines:
                blocks.append((start, comments, lines))
            start, comments, lines = 0, [], []
        elif stripped.startswith("//"):
            comments.append(stripped)
        else:
            if not lines:
                start = number
            lines.append(line)
    if lines:
        blocks.append((start, comments, lines))
    return blocks


def parse_gift(source: str) -> Parsed:
    if any(char in _RELEASE for char in source):
        return Parsed(None, (Issue(1, gettext_noop("The file holds characters from the private-use area.")),))
    questions: list[Question] = []
    errors: list[Issue] = []
    category = ""
    for line, comments, lines in _blocks(source.lstrip("\ufeff")):
        if lines[0].strip().startswith("$CATEGORY:"):
            category = normalise_category(lines[0].strip()[10:])
            line, lines = line + 1, lines[1:]
            if not lines:
                continue
        text = _hold("\n".join(lines).strip())
        tags = tuple(tag.replace("\\]", "]").strip() for tag in _TAG_RE.findall("\n".join(comments)))
        try:
            questions.append(_question(text, category=category, tags=tuple(t for t in tags if t)))
        except _Bad as bad:
            errors.append(Issue(line, bad.message, bad.params))
        except InvalidQuestion as invalid:
            errors.extend(Issue(line, message, params) for message, params in invalid.problems)
    return Parsed.of(questions, errors)


def _question(text: str, *, category: str, tags: tuple[str, ...]) -> Question:
    title = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise _Bad(gettext_noop("The title has no closing '::'."))
        title, text = _release(text[2:end]), text[end + 2 :].strip()
    opens, closes = text.count("{"), text.count("}")
    if opens == 0 and closes == 0:
        raise _Bad(gettext_noop("No answers in braces: descriptions without answers are not imported."))
    if opens != 1 or closes != 1 or text.index("{") > text.index("}"):
        raise _Bad(
            gettext_noop("A question needs exactly one answer block in braces { }; escape a literal brace as \\{.")
        )
    start, end = text.index("{"), text.index("}")
    before, answers, after = text[:start].strip(), text[start + 1 : end].strip(), text[end + 1 :].strip()
    question_text = _release(f"{before} {_BLANK} {after}" if after else before)
    feedback = ""
    if "####" in answers:
        cut = answers.rindex("####")
        answers, feedback = answers[:cut].strip(), _release(answers[cut + 4 :])
    common = {"text": question_text, "title": title, "category": category, "tags": tags, "feedback": feedback}
    if not answers:
        raise _Bad(gettext_noop("Essay questions (empty braces) are not supported."))
    if answers.startswith("#"):
        raise _Bad(gettext_noop("Numerical questions ({#...}) are not supported."))
    if "~" in answers:
        return _choice(answers, common)
    if "=" in answers and "->" in answers:
        return _matching(answers, common)
    head, *feedbacks = answers.split("#", 2)
    if head.strip().upper() in _TF:
        return TrueFalse(
            answer=_TF[head.strip().upper()],
            wrong_feedback=_release(feedbacks[0]) if feedbacks else "",
            right_feedback=_release(feedbacks[1]) if len(feedbacks) > 1 else "",
            **common,
        )
    return ShortAnswer(answers=tuple(_choices(answers, "=")), **common)


def _items(answers: str, markers: str) -> list[tuple[str, str]]:
    found = [index for index, char in enumerate(answers) if char in markers]
    if not found or answers[: found[0]].strip():
        raise _Bad(gettext_noop("Each answer must start with '=' (right) or '~' (wrong)."))
    bounds = [*found, len(answers)]
    return [(answers[a], answers[a + 1 : b].strip()) for a, b in zip(bounds, bounds[1:], strict=False)]


def _weighted(body: str, default: Decimal) -> tuple[Decimal, str]:
    if not body.startswith("%"):
        return default, body
    match = _WEIGHT_RE.match(body)
    if not match:
        raise _Bad(
            gettext_noop("Bad weight in '%(answer)s': write it as %%50%% or %%-33.33333%%."), answer=_release(body)
        )
    try:
        weight = Decimal(match.group(1))
    except InvalidOperation as error:  # pragma: no cover - the pattern only lets numbers through
        raise _Bad(gettext_noop("Bad weight in '%(answer)s'."), answer=_release(body)) from error
    return weight, body[match.end() :]


def _choices(answers: str, markers: str) -> list[Choice]:
    choices = []
    for marker, body in _items(answers, markers):
        weight, rest = _weighted(body, Decimal(100) if marker == "=" else Decimal(0))
        text, _, feedback = rest.partition("#")
        choices.append(Choice(text=_release(text), weight=weight, feedback=_release(feedback)))
    return choices


def _choice(answers: str, common: dict[str, Any]) -> Question:
    choices = tuple(_choices(answers, "=~"))
    if "=" in answers:
        return SingleChoice(choices=choices, **common)
    return MultipleChoice(choices=choices, **common)


def _matching(answers: str, common: dict[str, Any]) -> Matching:
    pairs = []
    for _marker, body in _items(answers, "="):
        if "->" not in body:
            raise _Bad(gettext_noop("Matching pair '%(pair)s' has no '->'."), pair=_release(body))
        prompt, _, answer = body.partition("->")
        pairs.append(Pair(prompt=_release(prompt), answer=_release(answer)))
    return Matching(pairs=tuple(pairs), **common)


# Writing


def _escape(text: str) -> str:
    out = "".join("\\" + char if char in _SPECIALS else char for char in text).replace("\n", "\\n")
    return "[plain]" + out if _FORMAT_RE.match(text) or text.startswith("[") else out


def _weight(weight: Decimal) -> str:
    return format(weight.normalize(), "f")


def cannot_hold(question: Question) -> list[tuple[str, dict[str, Any]]]:
    """What of ``question`` GIFT cannot hold (empty when it holds all of it)."""
    found: list[tuple[str, dict[str, Any]]] = []
    for tag in question.tags:
        if any(char in tag for char in "<>\\\n") or tag != tag.strip():
            found.append((gettext_noop("The tag '%(tag)s' cannot be written in GIFT."), {"tag": tag}))
    if "\n" in question.category:
        found.append((gettext_noop("A category name cannot hold a line break."), {}))
    if isinstance(question, ShortAnswer) and any("->" in a.text + a.feedback for a in question.answers):
        found.append((gettext_noop("A short answer containing '->' would be read as matching."), {}))
    if isinstance(question, Matching) and any("->" in pair.prompt for pair in question.pairs):
        found.append((gettext_noop("A matching prompt cannot contain '->'."), {}))
    return found


def _answer_lines(question: Question) -> list[str]:
    def choice(marker: str, item: Choice, *, default: Decimal) -> str:
        weight = "" if item.weight == default and not item.text.startswith("%") else f"%{_weight(item.weight)}%"
        feedback = f"#{_escape(item.feedback)}" if item.feedback else ""
        return f"{marker}{weight}{_escape(item.text)}{feedback}"

    match question:
        case SingleChoice():
            return [
                choice("=", c, default=Decimal(100)) if c.weight == 100 else choice("~", c, default=Decimal(0))
                for c in question.choices
            ]
        case MultipleChoice():
            return [choice("~", c, default=Decimal(0)) for c in question.choices]
        case ShortAnswer():
            return [choice("=", c, default=Decimal(100)) for c in question.answers]
        case Matching():
            return [f"={_escape(pair.prompt)} -> {_escape(pair.answer)}" for pair in question.pairs]
        case TrueFalse():
            parts = ["TRUE" if question.answer else "FALSE"]
            if question.wrong_feedback or question.right_feedback:
                parts.append(_escape(question.wrong_feedback))
            if question.right_feedback:
                parts.append(_escape(question.right_feedback))
            return ["#".join(parts)]
    raise TypeError(question)  # pragma: no cover


def write_gift(bank: QuestionBank) -> str:
    problems = [
        Issue(number, message, params)
        for number, question in enumerate(bank.questions, start=1)
        for message, params in cannot_hold(question)
    ]
    if problems:
        raise CannotWrite(problems)
    out: list[str] = []
    category = ""
    for question in bank.questions:
        if question.category != category:
            category = question.category
            out.append(f"$CATEGORY: {category}\n")
        lines = ["// [tag:" + tag.replace("]", "\\]") + "]" for tag in question.tags]
        text = _escape(question.text)
        head = f"::{_escape(question.title)}::" if question.title or text.startswith("/") else ""
        lines.append(f"{head}{text} {{")
        lines.extend(_answer_lines(question))
        if question.feedback:
            lines.append(f"####{_escape(question.feedback)}")
        lines.append("}")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)
