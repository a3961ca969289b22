"""Reads for quizzes: which quizzes a learner may take, their results by the grading method, and what an attempt's
page may show (before submission: no answer keys; after: the marks and feedback)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Q

from .models import Attempt, Question, Quiz
from .quiz import GradingMethod, final_grade, score
from .quiz.data import learner_view, response_from_json
from .quiz.types import Matching, MultipleChoice, ShortAnswer, SingleChoice, TrueFalse
from .quiz_services import pure_question


def learner_quiz(*, user, quiz_id: int) -> Quiz | None:
    """A quiz of a lesson, or the final quiz, of a live course assigned to ``user``; None otherwise."""
    from .selectors import learner_courses

    courses = learner_courses(user=user)
    return (
        Quiz.objects.filter(pk=quiz_id)
        .filter(Q(lessons__course__in=courses) | Q(final_of_courses__in=courses))
        .distinct()
        .first()
    )


def learner_attempt(*, user, attempt_id: int) -> Attempt | None:
    """The learner's own attempt; anyone else's is None (shown as "not found")."""
    return Attempt.objects.select_related("quiz").filter(pk=attempt_id, user=user).first()


@dataclass(frozen=True)
class QuizResult:
    quiz: Quiz
    attempts: list[Attempt]

    @property
    def finished(self) -> list[Attempt]:
        return [attempt for attempt in self.attempts if attempt.finished]

    @property
    def open_attempt(self) -> Attempt | None:
        return next((attempt for attempt in self.attempts if not attempt.finished), None)

    @property
    def grade(self) -> Decimal | None:
        """The quiz grade in percent by its grading method, over finished attempts (oldest first)."""
        fractions = [Fraction(attempt.score or 0) for attempt in sorted(self.finished, key=lambda a: a.number)]
        value = final_grade(fractions, GradingMethod(self.quiz.grading_method))
        if value is None:
            return None
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))

    @property
    def passed(self) -> bool:
        grade = self.grade
        return grade is not None and grade >= self.quiz.pass_mark

    @property
    def used(self) -> int:
        return len(self.attempts)

    @property
    def attempts_left(self) -> int | None:
        if not self.quiz.attempts_limit:
            return None
        return max(0, self.quiz.attempts_limit - self.used)

    @property
    def can_start(self) -> bool:
        return self.open_attempt is not None or self.attempts_left is None or self.attempts_left > 0


def quiz_result(*, user, quiz: Quiz) -> QuizResult:
    return QuizResult(quiz=quiz, attempts=list(Attempt.objects.filter(user=user, quiz=quiz).order_by("number")))


def quizzes_passed(*, user, quiz_ids: set[int]) -> dict[int, bool]:
    """For each quiz, whether ``user`` has passed it by its grading method (one query for attempts)."""
    if not quiz_ids:
        return {}
    quizzes = {quiz.pk: quiz for quiz in Quiz.objects.filter(pk__in=quiz_ids)}
    attempts: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in Attempt.objects.filter(user=user, quiz_id__in=quiz_ids).order_by("number"):
        attempts[attempt.quiz_id].append(attempt)
    return {pk: QuizResult(quiz=quiz, attempts=attempts[pk]).passed for pk, quiz in quizzes.items()}


@dataclass(frozen=True)
class AttemptQuestion:
    number: int
    question: Question
    view: dict[str, Any]
    response: Any


def attempt_questions(*, attempt: Attempt) -> list[AttemptQuestion]:
    """The drawn questions as the learner sees them, with the responses saved so far. Holds no answer key."""
    by_id = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    saved = {answer.question_id: answer.response for answer in attempt.answers.all()}
    rows = []
    for number, row in enumerate(attempt.questions, 1):
        question = by_id[row["id"]]
        view = learner_view(pure_question(question, with_bank_fields=False), row.get("order", ()))
        view["id"] = question.pk
        response = saved.get(question.pk)
        if view["type"] == "matching":
            for prompt in view["prompts"]:
                prompt["chosen"] = (response or {}).get(str(prompt["value"]))
        rows.append(AttemptQuestion(number=number, question=question, view=view, response=response))
    return rows


@dataclass(frozen=True)
class ReviewedQuestion:
    number: int
    text: str
    kind: str
    given: str
    right: str
    credit: Decimal
    correct: bool
    feedback: tuple[str, ...]


def _describe(pure, response: Any) -> tuple[str, str]:
    """The learner's response and the right answer, as text."""
    if isinstance(pure, SingleChoice | MultipleChoice):
        chosen = response if isinstance(response, list) else ([] if response is None else [response])
        given = "；".join(pure.choices[i].text for i in chosen if isinstance(i, int) and 0 <= i < len(pure.choices))
        right = "；".join(choice.text for choice in pure.choices if choice.weight > 0)
        return given, right
    if isinstance(pure, TrueFalse):
        from django.utils.translation import gettext as _

        words = {True: _("True"), False: _("False")}
        return ("" if response is None else words.get(response, "")), words[pure.answer]
    if isinstance(pure, ShortAnswer):
        return str(response or ""), "；".join(a.text for a in pure.answers if a.weight == 100)
    if isinstance(pure, Matching):
        response = response or {}
        given = "；".join(f"{p} → {response.get(str(i)) or '—'}" for i, p in enumerate(pure.prompts))
        right = "；".join(f"{pair.prompt} → {pair.answer}" for pair in pure.pairs if pair.prompt)
        return given, right
    return "", ""  # pragma: no cover


def attempt_review(*, attempt: Attempt) -> list[ReviewedQuestion]:
    """After submission: each question with the learner's answer, the right answer, the mark and the feedback."""
    if not attempt.finished:
        return []
    by_id = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    answers = {answer.question_id: answer for answer in attempt.answers.all()}
    rows = []
    for number, pk in enumerate(attempt.question_ids, 1):
        question = by_id[pk]
        pure = pure_question(question, with_bank_fields=False)
        answer = answers.get(pk)
        response = answer.response if answer else None
        try:
            feedback = score(pure, response_from_json(pure, response)).feedback
        except (ValueError, TypeError):
            feedback = ()
        given, right = _describe(pure, response)
        rows.append(
            ReviewedQuestion(
                number=number,
                text=question.text,
                kind=question.get_type_display(),
                given=given,
                right=right,
                credit=answer.score if answer and answer.score is not None else Decimal(0),
                correct=bool(answer and answer.correct),
                feedback=tuple(filter(None, [*feedback, question.feedback])),
            )
        )
    return rows
