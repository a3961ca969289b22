"""The question bank as values: frozen, so a parsed bank can be compared, stored and written back out.

No Django here (like media/pipeline): the models layer turns these into rows. Messages are English format strings
marked with ``gettext_noop`` so that the Django layer can translate them when it shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar


def gettext_noop(message: str) -> str:
    return message


WEIGHT_PLACES = Decimal("0.00001")
# Moodle accepts positive weights of a multiple-choice question that add up to 100% within this much.
WEIGHT_TOLERANCE = Decimal("0.01")


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    SHORT_ANSWER = "short_answer"
    MATCHING = "matching"


class InvalidQuestion(ValueError):
    """A question that breaks a rule of its type; ``problems`` holds each broken rule as an ``Issue``-style message."""

    def __init__(self, problems: list[tuple[str, dict[str, Any]]]) -> None:
        self.problems = problems
        super().__init__("; ".join(message % params for message, params in problems))


@dataclass(frozen=True, kw_only=True)
class Choice:
    """An option of a choice question, or an accepted answer of a short-answer question.

    ``weight`` is the share of the question's marks, in percent (-100 to 100), as in Moodle's ``~%50%``.
    """

    text: str
    weight: Decimal = Decimal(0)
    feedback: str = ""

    @property
    def correct(self) -> bool:
        return self.weight > 0


@dataclass(frozen=True, kw_only=True)
class Pair:
    """A matching pair. An empty ``prompt`` makes ``answer`` a distractor: offered, but matching nothing."""

    prompt: str
    answer: str


@dataclass(frozen=True, kw_only=True)
class BaseQuestion:
    kind: ClassVar[QuestionType]

    text: str
    title: str = ""
    category: str = ""
    tags: tuple[str, ...] = ()
    feedback: str = ""

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise InvalidQuestion(problems)

    def problems(self) -> list[tuple[str, dict[str, Any]]]:
        found: list[tuple[str, dict[str, Any]]] = []
        if not self.text.strip():
            found.append((gettext_noop("The question has no text."), {}))
        if any(not tag.strip() for tag in self.tags):
            found.append((gettext_noop("A tag is empty."), {}))
        return found


def _weight_problems(choices: tuple[Choice, ...]) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    for choice in choices:
        if not choice.text.strip():
            found.append((gettext_noop("An answer is empty."), {}))
        if not Decimal(-100) <= choice.weight <= Decimal(100):
            found.append(
                (gettext_noop("The weight %(weight)s%% is outside -100%% to 100%%."), {"weight": choice.weight})
            )
    return found


@dataclass(frozen=True, kw_only=True)
class SingleChoice(BaseQuestion):
    """One option may be chosen. Exactly one option is worth 100%; others may carry partial credit."""

    kind: ClassVar[QuestionType] = QuestionType.SINGLE
    choices: tuple[Choice, ...] = ()

    def problems(self) -> list[tuple[str, dict[str, Any]]]:
        found = super().problems() + _weight_problems(self.choices)
        if len(self.choices) < 2:
            found.append((gettext_noop("A choice question needs at least two options."), {}))
        if sum(1 for choice in self.choices if choice.weight == 100) != 1:
            found.append((gettext_noop("A single-choice question needs exactly one right option."), {}))
        return found


@dataclass(frozen=True, kw_only=True)
class MultipleChoice(BaseQuestion):
    """Any options may be chosen. The right options' weights add up to 100%; wrong ones are 0 or negative."""

    kind: ClassVar[QuestionType] = QuestionType.MULTIPLE
    choices: tuple[Choice, ...] = ()

    def problems(self) -> list[tuple[str, dict[str, Any]]]:
        found = super().problems() + _weight_problems(self.choices)
        if len(self.choices) < 2:
            found.append((gettext_noop("A choice question needs at least two options."), {}))
        positive = sum((choice.weight for choice in self.choices if choice.weight > 0), Decimal(0))
        if abs(positive - 100) > WEIGHT_TOLERANCE:
            found.append(
                (gettext_noop("The right options' weights add up to %(total)s%%, not 100%%."), {"total": positive})
            )
        return found

    @property
    def positive_total(self) -> Decimal:
        return sum((choice.weight for choice in self.choices if choice.weight > 0), Decimal(0))


@dataclass(frozen=True, kw_only=True)
class TrueFalse(BaseQuestion):
    kind: ClassVar[QuestionType] = QuestionType.TRUE_FALSE
    answer: bool = True
    right_feedback: str = ""
    wrong_feedback: str = ""


@dataclass(frozen=True, kw_only=True)
class ShortAnswer(BaseQuestion):
    """Typed answer compared with ``answers`` after normalisation (width, spaces, case); the best match counts."""

    kind: ClassVar[QuestionType] = QuestionType.SHORT_ANSWER
    answers: tuple[Choice, ...] = ()

    def problems(self) -> list[tuple[str, dict[str, Any]]]:
        found = super().problems() + _weight_problems(self.answers)
        if not any(answer.weight == 100 for answer in self.answers):
            found.append((gettext_noop("A short-answer question needs an accepted answer worth 100%%."), {}))
        return found


@dataclass(frozen=True, kw_only=True)
class Matching(BaseQuestion):
    kind: ClassVar[QuestionType] = QuestionType.MATCHING
    pairs: tuple[Pair, ...] = ()

    def problems(self) -> list[tuple[str, dict[str, Any]]]:
        found = super().problems()
        if len(self.prompts) < 2:
            found.append((gettext_noop("A matching question needs at least two pairs."), {}))
        if any(not pair.answer.strip() for pair in self.pairs):
            found.append((gettext_noop("A matching pair has no answer."), {}))
        if len(set(self.prompts)) != len(self.prompts):
            found.append((gettext_noop("Two matching pairs have the same prompt."), {}))
        return found

    @property
    def prompts(self) -> tuple[str, ...]:
        return tuple(pair.prompt for pair in self.pairs if pair.prompt)

    @property
    def answers(self) -> tuple[str, ...]:
        """The distinct answers offered, in the order they first appear (distractors included)."""
        return tuple(dict.fromkeys(pair.answer for pair in self.pairs))


Question = SingleChoice | MultipleChoice | TrueFalse | ShortAnswer | Matching


@dataclass(frozen=True)
class QuestionBank:
    questions: tuple[Question, ...] = ()

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(question.category for question in self.questions))

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(sorted({tag for question in self.questions for tag in question.tags}))

    def in_category(self, category: str) -> tuple[Question, ...]:
        return tuple(question for question in self.questions if question.category == category)


@dataclass(frozen=True)
class Issue:
    """A problem in an imported file, at a line (text formats) or row (spreadsheets), counted from 1."""

    line: int
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.message % dict(self.params)

    def __str__(self) -> str:
        return f"{self.line}: {self.text}"


@dataclass(frozen=True)
class Parsed:
    """What a parser returns: the bank, or the errors (and then no bank: a bad file imports nothing)."""

    bank: QuestionBank | None
    errors: tuple[Issue, ...] = ()

    @property
    def ok(self) -> bool:
        return self.bank is not None

    @classmethod
    def of(cls, questions: list[Question], errors: list[Issue]) -> Parsed:
        if errors:
            return cls(None, tuple(sorted(errors, key=lambda issue: issue.line)))
        if not questions:
            return cls(None, (Issue(1, gettext_noop("The file holds no questions.")),))
        return cls(QuestionBank(tuple(questions)))


class CannotWrite(ValueError):
    """Raised by a writer for questions its format cannot hold; ``issues`` name each by its position (from 1)."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("; ".join(f"question {issue}" for issue in issues))


def normalise_category(path: str) -> str:
    """``$course$/top/A / B`` (a Moodle export) and ``A/B`` name the same category ``A/B``."""
    parts = [part.strip() for part in path.strip().split("/")]
    if parts and parts[0].startswith("$") and parts[0].endswith("$"):
        parts = parts[1:]
        if parts and parts[0] == "top":
            parts = parts[1:]
    return "/".join(part for part in parts if part)


def split_weights(count: int) -> tuple[Decimal, ...]:
    """Equal shares of 100% over ``count`` right options, to 5 places, the last taking the remainder."""
    share = (Decimal(100) / count).quantize(WEIGHT_PLACES, rounding="ROUND_DOWN")
    return (share,) * (count - 1) + (Decimal(100) - share * (count - 1),)
