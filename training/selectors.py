"""Reads across the training models. Scoping rules live here: a manager sees the departments they belong to and
everything below them; a learner sees their own courses and progress only."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .models import Course, Department, Lesson, LessonProgress, StaffProfile
from .models.people import PATH_SEPARATOR

COMPLETE_SHARE = 0.95


def department_children_map() -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Department.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    return children


def department_subtree_ids(*, root_ids: set[int]) -> set[int]:
    """The given departments and every department below them."""
    children = department_children_map()
    found, stack = set(), list(root_ids)
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.add(pk)
        stack.extend(children.get(pk, []))
    return found


def department_ancestor_ids(*, ids: set[int]) -> set[int]:
    """The given departments and every department above them."""
    parents = dict(Department.objects.values_list("pk", "parent_id"))
    found = set()
    for pk in ids:
        while pk is not None and pk not in found:
            found.add(pk)
            pk = parents.get(pk)
    return found


def department_paths() -> dict[int, str]:
    """Every department's full path, e.g. "城关县/东关街道/便民服务中心"."""
    rows = {pk: (name, parent_id) for pk, name, parent_id in Department.objects.values_list("pk", "name", "parent_id")}
    paths: dict[int, str] = {}

    def path(pk: int, seen: frozenset = frozenset()) -> str:
        if pk not in paths:
            name, parent_id = rows[pk]
            if parent_id is None or parent_id in seen:
                paths[pk] = name
            else:
                paths[pk] = path(parent_id, seen | {pk}) + PATH_SEPARATOR + name
        return paths[pk]

    for pk in rows:
        path(pk)
    return paths


LABEL_SEPARATOR = " / "


def department_labels_of(rows: dict[int, tuple[str, int | None]]) -> dict[int, str]:
    """How managers see each department in choices and lists, from ``{pk: (name, parent_id)}``.

    A department reads as its path below its county ("东关街道 / 第3服务站"), a county as its own name; where two
    still read the same (the same path under two counties), both get the full path with the county.
    """

    def chain(pk: int) -> list[str]:
        names, seen = [], set()
        while pk is not None and pk in rows and pk not in seen:
            seen.add(pk)
            name, pk = rows[pk]
            names.append(name)
        return names[::-1]

    full = {pk: chain(pk) for pk in rows}
    short = {pk: LABEL_SEPARATOR.join(names[1:] or names) for pk, names in full.items()}
    counts: dict[str, int] = defaultdict(int)
    for label in short.values():
        counts[label] += 1
    return {pk: LABEL_SEPARATOR.join(full[pk]) if counts[label] > 1 else label for pk, label in short.items()}


def department_labels() -> dict[int, str]:
    """Every department's label for managers (``department_labels_of``), from one query for the whole tree."""
    return department_labels_of(
        {pk: (name, parent_id) for pk, name, parent_id in Department.objects.values_list("pk", "name", "parent_id")}
    )


def manager_department_ids(*, user) -> set[int] | None:
    """The departments a training manager may see: their own and those below. None means all (a superuser)."""
    if user.is_superuser:
        return None
    own = set(
        StaffProfile.departments.through.objects.filter(staffprofile__user=user).values_list("department_id", flat=True)
    )
    return department_subtree_ids(root_ids=own) if own else set()


def departments_for_manager(*, user) -> QuerySet[Department]:
    scope = manager_department_ids(user=user)
    queryset = Department.objects.all()
    return queryset if scope is None else queryset.filter(pk__in=scope)


def staff_for_manager(*, user) -> QuerySet[StaffProfile]:
    scope = manager_department_ids(user=user)
    queryset = StaffProfile.objects.all()
    if scope is None:
        return queryset
    return queryset.filter(departments__in=scope).distinct()


def reviews_courses(*, user) -> bool:
    """Approvers of the two-person review see every course: they review content, not people."""
    from cms import roles

    return user.is_superuser or user.groups.filter(name__in=roles.APPROVER_GROUPS).exists()


def courses_for_manager(*, user) -> QuerySet[Course]:
    """Courses whose audience reaches into the manager's departments, and courses with no audience yet."""
    queryset = Course.objects.all()
    if reviews_courses(user=user):
        return queryset
    scope = manager_department_ids(user=user)
    if scope is None:
        return queryset
    return queryset.filter(
        Q(audience_departments__in=department_ancestor_ids(ids=scope) | scope)
        | Q(audience_people__departments__in=scope)
        | Q(audience_departments=None, audience_people=None)
    ).distinct()


def learner_profile(*, user) -> StaffProfile | None:
    if not user.is_authenticated:
        return None
    return StaffProfile.objects.filter(user=user).first()


def learner_courses(*, user) -> QuerySet[Course]:
    """The live courses assigned to ``user``: through any of their departments (or one above it), or by name."""
    profile = learner_profile(user=user)
    if profile is None:
        return Course.objects.none()
    own = set(profile.departments.values_list("pk", flat=True))
    reach = department_ancestor_ids(ids=own)
    return (
        Course.objects.filter(live=True)
        .filter(Q(audience_departments__in=reach) | Q(audience_people=profile))
        .distinct()
        .order_by("title")
    )


def learner_course(*, user, course_id: int) -> Course | None:
    return learner_courses(user=user).filter(pk=course_id).first()


def learner_lesson(*, user, lesson_id: int) -> Lesson | None:
    """A lesson of a live course assigned to ``user``; None for anyone else's."""
    lesson = Lesson.objects.select_related("course", "video", "tutorial").filter(pk=lesson_id).first()
    if lesson is None or learner_course(user=user, course_id=lesson.course_id) is None:
        return None
    return lesson


def learner_deadline(*, course: Course, profile: StaffProfile) -> datetime.date | None:
    override = course.deadline_overrides.filter(person=profile).first()
    return override.deadline if override else course.deadline


@dataclass(frozen=True)
class LessonState:
    lesson: Lesson
    progress: LessonProgress | None
    # Whether the lesson's quiz is passed (by its grading method); None for a lesson without a quiz.
    quiz_passed: bool | None = None

    @property
    def content_complete(self) -> bool:
        return self.progress is not None and self.progress.complete

    @property
    def complete(self) -> bool:
        return self.content_complete and self.quiz_passed is not False

    @property
    def watched_percent(self) -> int:
        if self.progress is None or not self.lesson.is_video or not self.lesson.video.duration:
            return 0
        return min(100, int(self.progress.watched_seconds * 100 / self.lesson.video.duration))


@dataclass(frozen=True)
class CourseProgress:
    course: Course
    lessons: list[LessonState]
    deadline: datetime.date | None
    # Whether the course's final quiz is passed; None for a course without one. It counts as one more item.
    final_quiz_passed: bool | None = None

    @property
    def required(self) -> list[LessonState]:
        return [state for state in self.lessons if state.lesson.required]

    @property
    def done(self) -> int:
        return sum(1 for state in self.required if state.complete) + int(bool(self.final_quiz_passed))

    @property
    def total(self) -> int:
        return len(self.required) + int(self.final_quiz_passed is not None)

    @property
    def complete(self) -> bool:
        return self.done == self.total

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(self.done * 100 / self.total)

    @property
    def count_label(self) -> str:
        """How much is done, in words; a final quiz is counted beside the lessons, so then the words say items."""
        values = {"done": self.done, "total": self.total}
        if self.final_quiz_passed is None:
            return _("%(done)s of %(total)s lessons done") % values
        return _("%(done)s of %(total)s items done (lessons and the final quiz)") % values

    @property
    def next_lesson(self) -> Lesson | None:
        for state in self.lessons:
            if not state.complete:
                return state.lesson
        return None

    @property
    def overdue(self) -> bool:
        return self.deadline is not None and not self.complete and self.deadline < datetime.date.today()


def learner_course_progress(*, user, course: Course) -> CourseProgress:
    profile = learner_profile(user=user)
    lessons = list(course.lessons.select_related("video", "tutorial").order_by("sort_order", "pk"))
    progress = {row.lesson_id: row for row in LessonProgress.objects.filter(user=user, lesson__in=lessons)}
    from .quiz_selectors import quizzes_passed

    passed = quizzes_passed(
        user=user, quiz_ids={pk for pk in [course.final_quiz_id, *(lesson.quiz_id for lesson in lessons)] if pk}
    )
    return CourseProgress(
        course=course,
        lessons=[
            LessonState(
                lesson=lesson,
                progress=progress.get(lesson.pk),
                quiz_passed=passed.get(lesson.quiz_id) if lesson.quiz_id else None,
            )
            for lesson in lessons
        ],
        deadline=learner_deadline(course=course, profile=profile) if profile else course.deadline,
        final_quiz_passed=passed.get(course.final_quiz_id) if course.final_quiz_id else None,
    )


def learner_learning(*, user) -> list[CourseProgress]:
    return [learner_course_progress(user=user, course=course) for course in learner_courses(user=user)]


def learner_continue(*, user) -> Lesson | None:
    """The unfinished lesson the learner touched last, in a course still assigned to them."""
    courses = learner_courses(user=user)
    row = (
        LessonProgress.objects.filter(user=user, lesson__course__in=courses)
        .exclude(status=LessonProgress.Status.COMPLETE)
        .select_related("lesson__course")
        .order_by("-updated_at")
        .first()
    )
    return row.lesson if row else None
