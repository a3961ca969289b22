"""Scoring on the server: a question's credit in [0, 1], an attempt's grade, and the grade over attempts.

Responses refer to options by their position in the question as stored (not as shuffled for the learner):
single choice an ``int``, multiple choice a set of ``int``, true/false a ``bool``, short answer a ``str``, matching
a mapping of prompt position (among ``Matching.prompts``) to the chosen answer text. ``None`` is "not answered".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from training.quiz.types import (
    Matching,
    MultipleChoice,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
    gettext_noop,
)


class MultipleRule(StrEnum):
    """How a multiple-choice question with some right and some wrong options chosen is marked."""

    # Moodle: the weights of the chosen options added up (wrong ones may be negative), between 0 and 100%. The sum is
    # taken relative to the right options' total, which is 100% up to rounding, so 3 x 33.33333% is full marks.
    PERCENTAGES = "percentages"
    # Full marks only for exactly the right options.
    ALL_OR_NOTHING = "all_or_nothing"
    # (right chosen - wrong chosen) / right options, at least 0.
    RIGHT_MINUS_WRONG = "right_minus_wrong"
    # 少选得分，错选不得分: any wrong option gives 0, otherwise right chosen / right options.
    PARTIAL_IF_NO_WRONG = "partial_if_no_wrong"


class MatchingRule(StrEnum):
    PER_PAIR = "per_pair"
    ALL_OR_NOTHING = "all_or_nothing"


class GradingMethod(StrEnum):
    HIGHEST = "highest"
    LAST = "last"
    AVERAGE = "average"
    FIRST = "first"


@dataclass(frozen=True)
class Rules:
    multiple: MultipleRule = MultipleRule.PERCENTAGES
    matching: MatchingRule = MatchingRule.PER_PAIR


class BadResponse(ValueError):
    """A response that does not fit its question (an option that does not exist, a wrong type)."""

    def __init__(self, message: str, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(message % params)


@dataclass(frozen=True)
class Outcome:
    credit: Fraction
    feedback: tuple[str, ...] = ()


_SPACE_RE = re.compile(r"\s+")
_WORD = re.compile(r"[0-9a-z]")


def normalise_answer(text: str) -> str:
    """Full-width to half-width, case folded, spaces collapsed; a space only stays between two Latin words or digits.

    So ``ＳＯＣＩＡＬ　Security`` matches ``social security`` and ``社保 卡`` matches ``社保卡``.
    """
    text = _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    kept = []
    for index, char in enumerate(text):
        if char == " " and not (_WORD.match(text[index - 1]) and _WORD.match(text[index + 1])):
            continue
        kept.append(char)
    return "".join(kept)


def _fraction(weight: Decimal) -> Fraction:
    return Fraction(weight) / 100


def _clamp(value: Fraction) -> Fraction:
    return min(Fraction(1), max(Fraction(0), value))


def _index(question: SingleChoice | MultipleChoice, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(question.choices):
        raise BadResponse(gettext_noop("There is no option %(option)s in this question."), option=value)
    return value


def score(question: Question, response: Any, *, rules: Rules = Rules()) -> Outcome:
    if response is None:
        return Outcome(Fraction(0))
    match question:
        case SingleChoice():
            choice = question.choices[_index(question, response)]
            return Outcome(_clamp(_fraction(choice.weight)), tuple(filter(None, [choice.feedback])))
        case MultipleChoice():
            return _multiple(question, response, rules.multiple)
        case TrueFalse():
            if not isinstance(response, bool):
                raise BadResponse(gettext_noop("A true/false answer is true or false."))
            right = response == question.answer
            feedback = question.right_feedback if right else question.wrong_feedback
            return Outcome(Fraction(int(right)), tuple(filter(None, [feedback])))
        case ShortAnswer():
            if not isinstance(response, str):
                raise BadResponse(gettext_noop("A short answer is text."))
            given = normalise_answer(response)
            matches = [answer for answer in question.answers if normalise_answer(answer.text) == given and given]
            if not matches:
                return Outcome(Fraction(0))
            best = max(matches, key=lambda answer: answer.weight)
            return Outcome(_clamp(_fraction(best.weight)), tuple(filter(None, [best.feedback])))
        case Matching():
            return _matching(question, response, rules.matching)
    raise TypeError(question)  # pragma: no cover


def _multiple(question: MultipleChoice, response: Any, rule: MultipleRule) -> Outcome:
    if isinstance(response, str | bytes) or not isinstance(response, Collection):
        raise BadResponse(gettext_noop("A multiple-choice answer is a set of options."))
    chosen = {_index(question, value) for value in response}
    right = {index for index, choice in enumerate(question.choices) if choice.weight > 0}
    feedback = tuple(question.choices[index].feedback for index in sorted(chosen) if question.choices[index].feedback)
    hits, misses = len(chosen & right), len(chosen - right)
    match rule:
        case MultipleRule.PERCENTAGES:
            total = sum((question.choices[index].weight for index in chosen), Decimal(0))
            credit = Fraction(total) / Fraction(question.positive_total)
        case MultipleRule.ALL_OR_NOTHING:
            credit = Fraction(int(chosen == right))
        case MultipleRule.RIGHT_MINUS_WRONG:
            credit = Fraction(hits - misses, len(right))
        case MultipleRule.PARTIAL_IF_NO_WRONG:
            credit = Fraction(0) if misses else Fraction(hits, len(right))
    return Outcome(_clamp(credit), feedback)


def _matching(question: Matching, response: Any, rule: MatchingRule) -> Outcome:
    if not isinstance(response, Mapping):
        raise BadResponse(gettext_noop("A matching answer pairs each prompt with an answer."))
    prompts = question.prompts
    wanted = {pair.prompt: pair.answer for pair in question.pairs if pair.prompt}
    offered = set(question.answers)
    right = 0
    for key, value in response.items():
        if isinstance(key, bool) or not isinstance(key, int) or not 0 <= key < len(prompts):
            raise BadResponse(gettext_noop("There is no prompt %(prompt)s in this question."), prompt=key)
        if value is None:
            continue
        if value not in offered:
            raise BadResponse(gettext_noop("'%(answer)s' is not one of the answers offered."), answer=value)
        right += value == wanted[prompts[key]]
    if rule is MatchingRule.ALL_OR_NOTHING:
        return Outcome(Fraction(int(right == len(prompts))))
    return Outcome(Fraction(right, len(prompts)))


@dataclass(frozen=True)
class Slot:
    """A question in an attempt, worth ``points`` marks."""

    question: Question
    points: Decimal = Decimal(1)


@dataclass(frozen=True)
class Grade:
    marks: tuple[Fraction, ...]
    total: Fraction
    maximum: Fraction

    @property
    def fraction(self) -> Fraction:
        return self.total / self.maximum if self.maximum else Fraction(0)

    def percent(self, places: int = 2) -> Decimal:
        value = Decimal(self.fraction.numerator) * 100 / Decimal(self.fraction.denominator)
        return value.quantize(Decimal(1).scaleb(-places))

    def passed(self, pass_mark: Decimal) -> bool:
        """``pass_mark`` in percent of the maximum; reaching it passes."""
        return self.fraction * 100 >= Fraction(pass_mark)


def grade_attempt(slots: Sequence[Slot], responses: Mapping[int, Any], *, rules: Rules = Rules()) -> Grade:
    """Grade responses keyed by slot position; a key that is not a slot of the attempt is refused."""
    for key in responses:
        if isinstance(key, bool) or not isinstance(key, int) or not 0 <= key < len(slots):
            raise BadResponse(gettext_noop("Question %(slot)s is not in this attempt."), slot=key)
    marks = tuple(
        score(slot.question, responses.get(index), rules=rules).credit * Fraction(slot.points)
        for index, slot in enumerate(slots)
    )
    return Grade(marks, sum(marks, Fraction(0)), sum((Fraction(slot.points) for slot in slots), Fraction(0)))


def final_grade(grades: Sequence[Fraction], method: GradingMethod) -> Fraction | None:
    """The quiz grade over finished attempts, given oldest first; ``None`` before any."""
    if not grades:
        return None
    match method:
        case GradingMethod.HIGHEST:
            return max(grades)
        case GradingMethod.LAST:
            return grades[-1]
        case GradingMethod.FIRST:
            return grades[0]
        case GradingMethod.AVERAGE:
            return sum(grades, Fraction(0)) / len(grades)
    raise ValueError(method)  # pragma: no cover
