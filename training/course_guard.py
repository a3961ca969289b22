"""The personal-information guard for courses: the text a course puts before learners (its title, description,
lessons, and every question its quizzes can draw) is read by ``privacy``'s generic guard (``Course`` declares it with
``privacy_text_places``), and an open finding stops it going live."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.html import strip_tags
from django.utils.translation import gettext as _


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "weight":
                yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def course_quiz_ids(course) -> set[int]:
    ids = {lesson.quiz_id for lesson in course.lessons.all() if lesson.quiz_id}
    if course.final_quiz_id:
        ids.add(course.final_quiz_id)
    return ids


def course_text_places(course) -> Iterator:
    """Every piece of text of ``course`` as given (a revision's object or the row)."""
    from privacy.selectors import TextPlace

    from .models import Question, QuizDraw

    yield TextPlace("title", course.title or "")
    yield TextPlace("description", course.description or "")
    for number, lesson in enumerate(course.lessons.all(), 1):
        step = f"lesson-{number}"
        yield TextPlace("lesson_title", lesson.title or "", step)
        yield TextPlace("lesson_text", strip_tags(lesson.body or ""), step)
    quiz_ids = course_quiz_ids(course)
    if not quiz_ids:
        return
    categories = QuizDraw.objects.filter(quiz_id__in=quiz_ids).values_list("category_id", flat=True)
    for question in Question.objects.filter(category_id__in=categories).order_by("pk"):
        step = f"question-{question.pk}"
        yield TextPlace("question", question.text, step)
        yield TextPlace("question_title", question.title, step)
        yield TextPlace("feedback", question.feedback, step)
        for text in _strings(question.data):
            yield TextPlace("answer", text, step)


def course_blocking_message(course) -> str:
    """Why ``course`` (a revision about to go live) may not go out yet, or "" (``privacy``'s generic guard)."""
    from privacy.selectors import privacy_blocking_message

    message = privacy_blocking_message(obj=course)
    if not message:
        return ""
    return _("This course cannot be approved or published yet: %(reason)s") % {"reason": message}
