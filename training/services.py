"""Writes that carry the training rules. Staff import lives in ``training.staff_import``."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import ranges as watched
from .models import Lesson, LessonProgress
from .selectors import COMPLETE_SHARE

# A report may add at most this many seconds of video per second since the learner's previous report (players go
# up to 2x), plus a little slack: a forged "watched it all" sent right after opening the lesson does not count.
MAX_PLAYBACK_RATE = 2.5
REPORT_SLACK_SECONDS = 10.0


class ProgressError(ValueError):
    """A progress report the server cannot accept; the message says why."""


def _locked_progress(*, user, lesson: Lesson) -> LessonProgress:
    LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    return LessonProgress.objects.select_for_update().get(user=user, lesson=lesson)


def _complete(progress: LessonProgress, how: str) -> None:
    if progress.status != LessonProgress.Status.COMPLETE:
        progress.status = LessonProgress.Status.COMPLETE
        progress.completed_by = how
        progress.completed_at = timezone.now()
        progress.tutorial_revision_id = tutorial_live_revision_id(lesson=progress.lesson)


def tutorial_live_revision_id(*, lesson: Lesson) -> int | None:
    """Read afresh: the lesson's cached tutorial may predate a republish."""
    if lesson.tutorial_id is None:
        return None
    from wagtail.models import Page

    return Page.objects.filter(pk=lesson.tutorial_id, live=True).values_list("live_revision_id", flat=True).first()


def lesson_completed(*, user, lesson: Lesson) -> None:
    """After a lesson (or its quiz) is complete: the course's certificate once every required item is."""
    from .certificate_services import certificate_issue_if_complete
    from .course_status import course_status_for_user

    course_status_for_user(user_id=user.pk, course_ids=[lesson.course_id])
    certificate_issue_if_complete(user=user, course=lesson.course)


def lesson_reread(*, user, lesson: Lesson) -> LessonProgress:
    """The learner read a completed lesson again after its tutorial changed: "updated since you learned it" clears."""
    with transaction.atomic():
        progress = _locked_progress(user=user, lesson=lesson)
        if not progress.complete:
            raise ProgressError(_("Finish the lesson first."))
        progress.tutorial_revision_id = tutorial_live_revision_id(lesson=lesson)
        progress.save(update_fields=["tutorial_revision", "updated_at"])
    return progress


def lesson_open(*, user, lesson: Lesson) -> LessonProgress:
    """Note that the learner opened the lesson, so "continue where I left off" leads back to it."""
    with transaction.atomic():
        progress = _locked_progress(user=user, lesson=lesson)
        progress.save(update_fields=["updated_at"])
    return progress


def lesson_mark_done(*, user, lesson: Lesson, how: str) -> LessonProgress:
    """A text lesson is complete when the learner marks it done or reads it to the end. Idempotent."""
    if how not in (LessonProgress.CompletedBy.MARKED_DONE, LessonProgress.CompletedBy.READ_TO_END):
        raise ProgressError(_("Unknown way of finishing a lesson."))
    if lesson.is_video:
        raise ProgressError(_("A video lesson is complete once you have watched it."))
    with transaction.atomic():
        progress = _locked_progress(user=user, lesson=lesson)
        if progress.complete:
            # Read to the end again: whatever changed in its tutorial since has now been read.
            progress.tutorial_revision_id = tutorial_live_revision_id(lesson=lesson)
        _complete(progress, how)
        progress.save()
        lesson_completed(user=user, lesson=lesson)
    return progress


def lesson_record_watched(*, user, lesson: Lesson, ranges: object, position: float | None = None) -> LessonProgress:
    """Add the stretches of the lesson's video the player saw played; complete at 95% of its seconds.

    Ranges are merged with what was already watched, so the same seconds never count twice and a jump to the end
    adds only what was actually played after it.
    """
    if not lesson.is_video:
        raise ProgressError(_("This lesson has no video."))
    duration = float(lesson.video.duration or 0)
    if duration <= 0:
        raise ProgressError(_("This video has not been processed yet."))
    try:
        reported = watched.parse_ranges(ranges)
    except watched.RangeError as error:
        raise ProgressError(_("The watched ranges could not be read: %(reason)s") % {"reason": error}) from error
    with transaction.atomic():
        progress = _locked_progress(user=user, lesson=lesson)
        merged = watched.merge_ranges([*map(tuple, progress.watched_ranges), *reported], duration=duration)
        seconds = watched.covered_seconds(merged)
        elapsed = (timezone.now() - progress.updated_at).total_seconds()
        if seconds - progress.watched_seconds > elapsed * MAX_PLAYBACK_RATE + REPORT_SLACK_SECONDS:
            raise ProgressError(_("More of the video was reported than could have been played since the last report."))
        progress.watched_ranges = [list(pair) for pair in merged]
        progress.watched_seconds = seconds
        if position is not None and 0 <= position <= duration:
            progress.position = position
        if progress.watched_seconds >= COMPLETE_SHARE * duration:
            _complete(progress, LessonProgress.CompletedBy.WATCHED)
        progress.save()
        if progress.complete:
            lesson_completed(user=user, lesson=lesson)
    return progress
