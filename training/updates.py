"""Reads for "updated since you learned it": completed lessons whose tutorial has a newer live revision."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, QuerySet
from wagtail.models import Revision

from . import selectors
from .models import LessonProgress
from .tutorial_changes import StepChanges, step_changes, steps_from_stream


def _outdated(queryset: QuerySet[LessonProgress]) -> QuerySet[LessonProgress]:
    """Complete rows that recorded a tutorial revision which is no longer the live one."""
    return (
        queryset.filter(status=LessonProgress.Status.COMPLETE, tutorial_revision__isnull=False)
        .filter(lesson__tutorial__live=True)
        .exclude(lesson__tutorial__live_revision_id=F("tutorial_revision_id"))
    )


def _changes(row: LessonProgress) -> StepChanges:
    tutorial = row.lesson.tutorial
    before = steps_from_stream(row.tutorial_revision.content.get("steps") if row.tutorial_revision else None)
    after = steps_from_stream(list(tutorial.steps.raw_data))
    return step_changes(before, after)


@dataclass(frozen=True)
class LessonUpdate:
    progress: LessonProgress
    changes: StepChanges


def learner_updates(*, user, lesson_ids: Iterable[int] | None = None) -> dict[int, LessonUpdate]:
    """Lesson id → what changed in its tutorial since ``user`` completed (or last re-read) it. Only lessons whose
    steps really differ: a republish with the same steps is not news."""
    queryset = LessonProgress.objects.filter(user=user).select_related("lesson__tutorial", "tutorial_revision")
    if lesson_ids is not None:
        queryset = queryset.filter(lesson_id__in=list(lesson_ids))
    found = {}
    for row in _outdated(queryset):
        changes = _changes(row)
        if changes:
            found[row.lesson_id] = LessonUpdate(progress=row, changes=changes)
    return found


def learner_updated_course_ids(*, user) -> dict[int, int]:
    """Course id → how many of its lessons changed since the learner completed them (my learning)."""
    counts: dict[int, int] = {}
    for update in learner_updates(user=user).values():
        course_id = update.progress.lesson.course_id
        counts[course_id] = counts.get(course_id, 0) + 1
    return counts


@dataclass(frozen=True)
class NotRereadRow:
    name: str
    staff_number: str
    course: str
    lesson: str
    tutorial: str
    completed_at: object
    learned_revision_at: object
    changed_at: object
    changes: str


def not_reread_for_manager(*, user, course_id: int | None = None) -> list[NotRereadRow]:
    """Learners in the manager's departments who completed a lesson whose tutorial changed and have not re-read it."""
    staff = selectors.staff_for_manager(user=user)
    profiles = {profile.user_id: profile for profile in staff}
    queryset = LessonProgress.objects.filter(user_id__in=list(profiles)).select_related(
        "lesson__course", "lesson__tutorial", "tutorial_revision"
    )
    if course_id is not None:
        queryset = queryset.filter(lesson__course_id=course_id)
    rows = []
    for row in _outdated(queryset).order_by("lesson__course__title", "lesson__sort_order", "user_id"):
        changes = _changes(row)
        if not changes:
            continue
        profile = profiles[row.user_id]
        live = Revision.objects.filter(pk=row.lesson.tutorial.live_revision_id).values_list("created_at", flat=True)
        rows.append(
            NotRereadRow(
                name=profile.name,
                staff_number=profile.staff_number,
                course=row.lesson.course.title,
                lesson=row.lesson.title,
                tutorial=row.lesson.tutorial.title,
                completed_at=row.completed_at,
                learned_revision_at=row.tutorial_revision.created_at,
                changed_at=live.first(),
                changes=_summary(changes),
            )
        )
    return rows


def _summary(changes: StepChanges) -> str:
    from django.utils.translation import gettext as _

    return _("%(added)d added, %(removed)d removed, %(edited)d edited") % {
        "added": len(changes.added),
        "removed": len(changes.removed),
        "edited": len(changes.edited),
    }


__all__ = ["LessonUpdate", "NotRereadRow", "learner_updated_course_ids", "learner_updates", "not_reread_for_manager"]
