"""Writes for quizzes: the question bank (import, export), attempts, autosaved answers and idempotent submission.

Scoring happens here, on the server, with ``training.quiz.scoring``; the browser sends responses only.
"""

from __future__ import annotations

import datetime
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Answer, Attempt, Question, QuestionCategory, Quiz
from .quiz import (
    BadResponse,
    BankFormat,
    CannotWrite,
    InvalidQuestion,
    Issue,
    NotEnoughQuestions,
    Parsed,
    QuestionBank,
    Slot,
    draw_questions,
    grade_attempt,
    guess_format,
    option_order,
    parse_file,
    score,
    write_aiken,
    write_gift,
    write_xlsx,
)
from .quiz.data import question_data, question_from_data, response_from_json
from .quiz.types import Question as PureQuestion
from .quiz.types import gettext_noop

# A submission that arrives this long after the deadline still counts (the page submits itself at 0:00, and the
# request takes a moment); later ones are refused and the attempt is closed with what was saved.
GRACE = datetime.timedelta(seconds=30)
MAX_IMPORT_BYTES = 5 * 1024 * 1024


class QuizError(ValueError):
    """A request about a quiz the server refuses; the message says why, and nothing was written."""


class AttemptNotFound(QuizError):
    """No such attempt for this person (someone else's attempt is "not found", never "forbidden")."""


class TimeUp(QuizError):
    pass


class AttemptFinished(QuizError):
    pass


# The question bank -------------------------------------------------------------------------------------------------


def pure_question(question: Question, *, with_bank_fields: bool = True) -> PureQuestion:
    """The row as a ``training.quiz`` question; without ``with_bank_fields`` (for scoring and showing it) its
    category and tags are left out, which saves a query per question."""
    return question_from_data(
        question.type,
        question.data,
        text=question.text,
        title=question.title,
        category=question.category.name if with_bank_fields else "",
        tags=sorted(tag.name for tag in question.tags.all()) if with_bank_fields else (),
        feedback=question.feedback,
    )


def question_values(question: PureQuestion) -> dict[str, Any]:
    """The column values of a pure question (category and tags apart)."""
    return {
        "type": question.kind.value,
        "title": question.title,
        "text": question.text,
        "feedback": question.feedback,
        "data": question_data(question),
    }


def question_check(*, type: str, data: Any, text: str) -> list[str]:
    """The problems of a question as edited in the admin, as messages; empty when it is fine."""
    if not isinstance(data, Mapping):
        return [_("The answers are not a JSON object.")]
    try:
        question_from_data(type, data, text=text)
    except InvalidQuestion as error:
        return [_(message) % params for message, params in error.problems]
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        return [_("The answers could not be read: %(reason)s") % {"reason": error}]
    return []


def bank_questions(*, category: str | None = None) -> list[Question]:
    queryset = Question.objects.select_related("category").prefetch_related("tags").order_by("category__name", "pk")
    if category:
        queryset = queryset.filter(category__name=category)
    return list(queryset)


def bank_export(*, format: BankFormat, category: str | None = None) -> bytes:
    """The bank (or one category) as a GIFT, Aiken or XLSX file. Raises ``QuizError`` if the format cannot hold it."""
    questions = [pure_question(question) for question in bank_questions(category=category)]
    if format is BankFormat.AIKEN:
        # An Aiken file has no categories: it is imported into the one chosen for it.
        questions = [replace(question, category="") for question in questions]
    bank = QuestionBank(tuple(questions))
    writer = {BankFormat.GIFT: write_gift, BankFormat.AIKEN: write_aiken, BankFormat.XLSX: write_xlsx}[format]
    try:
        written = writer(bank)
    except CannotWrite as error:
        raise QuizError(
            _("The %(format)s format cannot hold some questions: %(problems)s")
            % {
                "format": format.value.upper(),
                "problems": "; ".join(
                    f"{issue.line}: {_(issue.message) % dict(issue.params)}" for issue in error.issues
                ),
            }
        ) from error
    return written.encode("utf-8") if isinstance(written, str) else written


@dataclass
class ImportResult:
    parsed: Parsed
    created: list[Question] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.parsed.ok

    @property
    def errors(self) -> list[tuple[int, str]]:
        return [(issue.line, _(issue.message) % dict(issue.params)) for issue in self.parsed.errors]

    @property
    def questions(self) -> tuple[PureQuestion, ...]:
        return self.parsed.bank.questions if self.parsed.bank else ()


def bank_parse(
    *, data: bytes, filename: str = "", format: BankFormat | str | None = None, category: str = ""
) -> Parsed:
    if len(data) > MAX_IMPORT_BYTES:
        return Parsed(None, (Issue(0, gettext_noop("The file is larger than 5 MB.")),))
    fmt = BankFormat(format) if format else guess_format(filename, data)
    return parse_file(data, format=fmt, category=category.strip())


def bank_import(
    *,
    data: bytes,
    filename: str = "",
    format: BankFormat | str | None = None,
    category: str = "",
    dry_run: bool = False,
) -> ImportResult:
    """Parse a bank file and, unless ``dry_run`` or the file has errors, add all its questions in one transaction.

    Questions the file puts in no category go to ``category``; a question with no category at all is an error.
    """
    parsed = bank_parse(data=data, filename=filename, format=format, category=category)
    if parsed.bank is not None:
        missing = [index for index, question in enumerate(parsed.bank.questions, 1) if not question.category.strip()]
        if missing:
            parsed = Parsed(
                None,
                tuple(
                    Issue(
                        index,
                        gettext_noop("Question %(number)s has no category: choose one for the import."),
                        {"number": index},
                    )
                    for index in missing
                ),
            )
    result = ImportResult(parsed)
    if parsed.bank is None or dry_run:
        return result
    with transaction.atomic():
        categories: dict[str, QuestionCategory] = {}
        for question in parsed.bank.questions:
            name = question.category.strip()
            if name not in categories:
                categories[name], _created = QuestionCategory.objects.get_or_create(name=name)
            row = Question.objects.create(category=categories[name], **question_values(question))
            if question.tags:
                row.tags.set(list(question.tags))
            result.created.append(row)
    return result


# Attempts -----------------------------------------------------------------------------------------------------------


def _deadline_passed(attempt: Attempt, *, now: datetime.datetime | None = None) -> bool:
    return attempt.deadline_at is not None and (now or timezone.now()) > attempt.deadline_at + GRACE


def _locked(attempt_id: int) -> Attempt:
    return Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt_id)


def _draw(quiz: Quiz, *, seed: str) -> list[dict[str, Any]]:
    draws = list(quiz.draws.select_related("category").order_by("sort_order", "pk"))
    if not draws:
        raise QuizError(_("This quiz has no questions yet."))
    pools: dict[str, list[int]] = {}
    counts: dict[str, int] = {}
    for draw in draws:
        key = str(draw.category_id)
        pools[key] = list(
            Question.objects.filter(category_id=draw.category_id).order_by("pk").values_list("pk", flat=True)
        )
        counts[key] = counts.get(key, 0) + draw.count
    try:
        drawn = draw_questions(pools, counts, seed=seed)
    except NotEnoughQuestions as error:
        raise QuizError(_("This quiz cannot be taken yet: it draws more questions than its bank holds.")) from error
    questions = {q.pk: q for q in Question.objects.filter(pk__in=drawn)}
    rows = []
    for pk in drawn:
        pure = pure_question(questions[pk], with_bank_fields=False)
        rows.append({"id": pk, "order": list(option_order(pure, seed=seed, key=pk))})
    return rows


def attempts_used(*, user, quiz: Quiz) -> int:
    return Attempt.objects.filter(user=user, quiz=quiz).count()


def quiz_attempt_start(*, user, quiz: Quiz) -> Attempt:
    """The learner's open attempt at ``quiz`` (resumed, not restarted), or a new one within the attempts limit."""
    with transaction.atomic():
        # Serialise starts by the same person at the same quiz (two tabs, a double click).
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        open_attempt = (
            Attempt.objects.select_for_update().filter(user=user, quiz=quiz, state=Attempt.State.IN_PROGRESS).first()
        )
        if open_attempt is not None:
            if not _deadline_passed(open_attempt):
                return open_attempt
            _close(open_attempt, state=Attempt.State.EXPIRED)
        used = Attempt.objects.filter(user=user, quiz=quiz).aggregate(last=Max("number"))["last"] or 0
        if quiz.attempts_limit and used >= quiz.attempts_limit:
            raise QuizError(_("You have used all %(count)s attempts at this quiz.") % {"count": quiz.attempts_limit})
        now = timezone.now()
        seed = secrets.token_hex(8)
        attempt = Attempt(
            user=user,
            quiz=quiz,
            number=used + 1,
            questions=_draw(quiz, seed=seed),
            deadline_at=now + datetime.timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None,
        )
        try:
            with transaction.atomic():
                attempt.save()
        except IntegrityError as error:
            raise QuizError(_("Another attempt was started at the same moment: reload the page.")) from error
    return attempt


def _check_owner(attempt: Attempt, user) -> None:
    if attempt.user_id != user.pk:
        raise AttemptNotFound(_("There is no such attempt."))


def _question_in(attempt: Attempt, question_id: Any) -> Question:
    if isinstance(question_id, bool) or not isinstance(question_id, int) or question_id not in attempt.question_ids:
        raise QuizError(_("That question is not part of this attempt."))
    return Question.objects.get(pk=question_id)


def _validated(question: Question, response: Any) -> Any:
    """The response as stored (JSON); raises ``QuizError`` when it does not fit the question."""
    pure = pure_question(question, with_bank_fields=False)
    try:
        converted = response_from_json(pure, response)
        score(pure, converted)
    except BadResponse as error:
        raise QuizError(_(error.message) % error.params) from error
    except (TypeError, ValueError) as error:
        raise QuizError(_("The answer could not be read.")) from error
    if converted is None:
        return None
    if isinstance(converted, set):
        return sorted(converted)
    if isinstance(converted, Mapping):
        return {str(key): value for key, value in converted.items()}
    return converted


def _store(attempt: Attempt, question: Question, response: Any) -> Answer:
    answer, _created = Answer.objects.update_or_create(
        attempt=attempt, question=question, defaults={"response": response}
    )
    return answer


def _attempt_id(attempt: Attempt | int) -> int:
    return attempt.pk if isinstance(attempt, Attempt) else attempt


def quiz_answer_save(*, user, attempt: Attempt | int, question_id: Any, response: Any) -> Answer:
    """Autosave one answer of an open attempt. Refuses (``QuizError``, nothing written) someone else's attempt, a
    question the attempt did not draw, a response that does not fit, and anything after submission or the deadline."""
    attempt_id = _attempt_id(attempt)
    with transaction.atomic():
        try:
            attempt = _locked(attempt_id)
        except Attempt.DoesNotExist as error:
            raise AttemptNotFound(_("There is no such attempt.")) from error
        _check_owner(attempt, user)
        if attempt.finished:
            raise AttemptFinished(_("This attempt has been submitted: answers can no longer be changed."))
        if _deadline_passed(attempt):
            _close(attempt, state=Attempt.State.EXPIRED)
            expired = True
        else:
            expired = False
            question = _question_in(attempt, question_id)
            answer = _store(attempt, question, _validated(question, response))
    if expired:
        raise TimeUp(_("The time limit has passed: the attempt was closed with the answers saved before it."))
    return answer


def _slots(attempt: Attempt) -> tuple[list[Question], list[Slot]]:
    by_id = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    questions = [by_id[pk] for pk in attempt.question_ids]
    return questions, [Slot(pure_question(question, with_bank_fields=False)) for question in questions]


def _close(attempt: Attempt, *, state: str) -> Attempt:
    """Grade what was saved and close the attempt (the caller holds its row lock)."""
    questions, slots = _slots(attempt)
    answers = {answer.question_id: answer for answer in attempt.answers.all()}
    responses = {}
    for index, question in enumerate(questions):
        answer = answers.get(question.pk)
        if answer is not None and answer.response is not None:
            responses[index] = response_from_json(slots[index].question, answer.response)
    grade = grade_attempt(slots, responses)
    changed, added = [], []
    for index, question in enumerate(questions):
        mark = grade.marks[index]
        answer = answers.get(question.pk)
        if answer is None:
            answer = Answer(attempt=attempt, question=question, response=None)
            added.append(answer)
        else:
            changed.append(answer)
        answer.score = _decimal(mark)
        answer.correct = mark == 1
    if changed:
        Answer.objects.bulk_update(changed, ["score", "correct"])
    if added:
        Answer.objects.bulk_create(added)
    attempt.state = state
    attempt.submitted_at = timezone.now()
    attempt.score = grade.percent()
    attempt.passed = grade.passed(attempt.quiz.pass_mark)
    attempt.save(update_fields=["state", "submitted_at", "score", "passed"])
    from .course_status import course_status_for_user, courses_of_quiz

    course_status_for_user(user_id=attempt.user_id, course_ids=courses_of_quiz(quiz_id=attempt.quiz_id))
    return attempt


def _decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.00001"))


def quiz_attempt_submit(*, user, attempt: Attempt | int, answers: Mapping[Any, Any] | None = None) -> Attempt:
    """Save ``answers`` (question id → response; all or none) and grade the attempt. Idempotent: a resent or
    double-clicked submission returns the attempt as first graded and changes nothing.

    After the deadline (and ``GRACE``) the answers sent are refused with ``TimeUp`` and the attempt is closed with
    what was saved before it.
    """
    attempt_id = _attempt_id(attempt)
    with transaction.atomic():
        try:
            attempt = _locked(attempt_id)
        except Attempt.DoesNotExist as error:
            raise AttemptNotFound(_("There is no such attempt.")) from error
        _check_owner(attempt, user)
        if attempt.finished:
            return attempt
        if _deadline_passed(attempt):
            _close(attempt, state=Attempt.State.EXPIRED)
            late = bool(answers)
        else:
            late = False
            _store_submitted(attempt, answers or {})
            _close(attempt, state=Attempt.State.SUBMITTED)
    if attempt.passed:
        from .certificate_services import certificates_after_quiz

        certificates_after_quiz(user=user, quiz_id=attempt.quiz_id)
    if late:
        raise TimeUp(_("The time limit has passed: the attempt was closed with the answers saved before it."))
    return attempt


def _store_submitted(attempt: Attempt, answers: Mapping[Any, Any]) -> None:
    """Check every answer sent with a submission, then write only those that differ from what autosave stored. The
    attempt's questions and saved answers are read once for all of them (the caller holds the attempt's lock)."""
    responses = {_as_id(key): response for key, response in answers.items()}
    for question_id in responses:
        if isinstance(question_id, bool) or not isinstance(question_id, int) or question_id not in attempt.question_ids:
            raise QuizError(_("That question is not part of this attempt."))
    if not responses:
        return
    questions = Question.objects.in_bulk(list(responses))
    checked = {pk: _validated(questions[pk], response) for pk, response in responses.items()}
    saved = {answer.question_id: answer for answer in attempt.answers.filter(question_id__in=list(checked))}
    now = timezone.now()
    changed, added = [], []
    for pk, response in checked.items():
        answer = saved.get(pk)
        if answer is None:
            added.append(Answer(attempt=attempt, question=questions[pk], response=response, updated_at=now))
        elif json.dumps(answer.response, sort_keys=True) != json.dumps(response, sort_keys=True):
            answer.response, answer.updated_at = response, now
            changed.append(answer)
    if changed:
        Answer.objects.bulk_update(changed, ["response", "updated_at"])
    if added:
        Answer.objects.bulk_create(added)


def _as_id(key: Any) -> Any:
    if isinstance(key, str) and key.isdigit():
        return int(key)
    return key


def attempts_expire(*, attempt_ids: Iterable[int] | None = None) -> int:
    """Close open attempts whose time is up (with what was saved); returns how many were closed. Idempotent."""
    queryset = Attempt.objects.filter(state=Attempt.State.IN_PROGRESS, deadline_at__lt=timezone.now() - GRACE)
    if attempt_ids is not None:
        queryset = queryset.filter(pk__in=list(attempt_ids))
    closed = 0
    for pk in queryset.values_list("pk", flat=True):
        with transaction.atomic():
            attempt = _locked(pk)
            if not attempt.finished and _deadline_passed(attempt):
                _close(attempt, state=Attempt.State.EXPIRED)
                closed += 1
    return closed
