"""Moodle's Aiken format: single-choice questions only.

    Which card pays for medicine at the counter?
    A. Bank card
    B. Social security card
    ANSWER: B

The question text comes first (one or more lines), then options ``A.`` or ``A)`` (Chinese banks' ``A、`` and
full-width letters are read too), then ``ANSWER: X`` (or ``答案：X``). Blank lines between questions are optional.
It holds no titles, feedback, categories, tags or partial credit: ``cannot_hold`` says what a question would lose.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from training.quiz.types import (
    CannotWrite,
    Choice,
    InvalidQuestion,
    Issue,
    Parsed,
    Question,
    QuestionBank,
    SingleChoice,
    gettext_noop,
)

_OPTION_RE = re.compile(r"^([A-Z])(?:[.)]\s+|[.)](?=[^\x00-\x7f])|、\s*)(.*)$")
_ANSWER_RE = re.compile(r"^(?:ANSWER|答案)\s*[:：]\s*(.*)$", re.IGNORECASE)
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _width(line: str) -> str:
    """Full-width letters and punctuation (Ａ．, ）, ：) read as their ASCII forms; the rest is kept."""
    head = unicodedata.normalize("NFKC", line[:3])
    return head + line[3:] if _OPTION_RE.match(head + line[3:]) else line


def parse_aiken(source: str, *, category: str = "") -> Parsed:
    questions: list[Question] = []
    errors: list[Issue] = []
    text: list[str] = []
    options: list[tuple[str, str]] = []
    start = 0

    def reset() -> None:
        nonlocal start
        text.clear()
        options.clear()
        start = 0

    for number, raw in enumerate(source.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        line = raw.strip()
        if not line:
            continue
        if not start:
            start = number
        answer = _ANSWER_RE.match(unicodedata.normalize("NFKC", line))
        option = _OPTION_RE.match(_width(line))
        if answer:
            letter = answer.group(1).strip().upper()
            if not text:
                errors.append(Issue(number, gettext_noop("ANSWER without a question above it.")))
            elif len(options) < 2:
                errors.append(Issue(start, gettext_noop("A question needs at least two options A., B., ...")))
            elif letter not in {key for key, _ in options}:
                errors.append(
                    Issue(
                        number, gettext_noop("The answer '%(letter)s' is not one of the options."), {"letter": letter}
                    )
                )
            else:
                try:
                    questions.append(
                        SingleChoice(
                            text="\n".join(text),
                            category=category,
                            choices=tuple(
                                Choice(text=value, weight=Decimal(100 if key == letter else 0))
                                for key, value in options
                            ),
                        )
                    )
                except InvalidQuestion as invalid:
                    errors.extend(Issue(start, message, params) for message, params in invalid.problems)
            reset()
        elif option and text:
            key, value = option.groups()
            expected = _LETTERS[len(options)] if len(options) < len(_LETTERS) else ""
            if key != expected:
                errors.append(
                    Issue(
                        number,
                        gettext_noop("Option %(got)s where %(expected)s was expected."),
                        {"got": key, "expected": expected},
                    )
                )
            options.append((key, value.strip()))
        elif options:
            errors.append(Issue(number, gettext_noop("Expected the next option or 'ANSWER: X' here.")))
        else:
            text.append(line)
    if text:
        errors.append(Issue(start, gettext_noop("The question has no 'ANSWER: X' line.")))
    return Parsed.of(questions, errors)


def cannot_hold(question: Question) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if not isinstance(question, SingleChoice):
        return [(gettext_noop("Aiken holds only single-choice questions."), {})]
    if question.title or question.feedback or question.tags or question.category:
        found.append((gettext_noop("Aiken holds no title, feedback, category or tags."), {}))
    if any(choice.feedback or choice.weight not in (0, 100) for choice in question.choices):
        found.append((gettext_noop("Aiken holds no option feedback or partial credit."), {}))
    if len(question.choices) > len(_LETTERS):
        found.append((gettext_noop("Aiken holds at most 26 options."), {}))
    lines = question.text.split("\n")
    if any(not line.strip() or line != line.strip() for line in lines) or any(
        _OPTION_RE.match(_width(line)) or _ANSWER_RE.match(unicodedata.normalize("NFKC", line)) for line in lines
    ):
        found.append((gettext_noop("The question text has a blank line or a line that reads as an option."), {}))
    if any("\n" in choice.text or choice.text != choice.text.strip() for choice in question.choices):
        found.append((gettext_noop("An Aiken option is one line."), {}))
    return found


def write_aiken(bank: QuestionBank) -> str:
    problems = [
        Issue(number, message, params)
        for number, question in enumerate(bank.questions, start=1)
        for message, params in cannot_hold(question)
    ]
    if problems:
        raise CannotWrite(problems)
    out = []
    for question in bank.questions:
        if not isinstance(question, SingleChoice):  # pragma: no cover - cannot_hold refused it above
            raise TypeError(question)
        lines = [question.text]
        lines += [f"{_LETTERS[index]}. {choice.text}" for index, choice in enumerate(question.choices)]
        right = next(index for index, choice in enumerate(question.choices) if choice.weight == 100)
        lines.append(f"ANSWER: {_LETTERS[right]}")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)
