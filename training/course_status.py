"""The per (person, course) status rows the dashboards add up (``CourseStatus``): recomputed from lessons, progress,
attempts, deadlines and audiences for the people and courses a change touched, in one statement each time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.utils import timezone

from .models import Course, Lesson

REFRESH_SQL = """
WITH RECURSIVE
below(root, id) AS (
    SELECT id, id FROM training_department
    UNION ALL
    SELECT b.root, d.id FROM training_department d JOIN below b ON d.parent_id = b.id
),
chosen_courses AS (
    SELECT id FROM training_course WHERE %(all_courses)s OR id = ANY(%(courses)s::int[])
),
pairs AS (
    SELECT pid, course_id, bool_or(direct) AS direct FROM (
        SELECT m.staffprofile_id AS pid, ad.course_id, false AS direct
          FROM training_course_audience_departments ad
          JOIN below b ON b.root = ad.department_id
          JOIN training_staffprofile_departments m ON m.department_id = b.id
         WHERE ad.course_id IN (SELECT id FROM chosen_courses)
           AND (%(all_people)s OR m.staffprofile_id = ANY(%(people)s::int[]))
        UNION ALL
        SELECT ap.staffprofile_id, ap.course_id, true
          FROM training_course_audience_people ap
         WHERE ap.course_id IN (SELECT id FROM chosen_courses)
           AND (%(all_people)s OR ap.staffprofile_id = ANY(%(people)s::int[]))
    ) AS assigned
     GROUP BY pid, course_id
),
people AS (
    SELECT sp.id AS pid, sp.user_id FROM training_staffprofile sp WHERE sp.id IN (SELECT pid FROM pairs)
),
required AS (
    SELECT course_id, count(*) AS n FROM training_lesson
     WHERE required AND course_id IN (SELECT id FROM chosen_courses) GROUP BY course_id
),
quizzes AS (
    SELECT DISTINCT course_id, quiz_id, false AS final FROM training_lesson
     WHERE quiz_id IS NOT NULL AND course_id IN (SELECT id FROM chosen_courses)
    UNION ALL
    SELECT id, final_quiz_id, true FROM training_course
     WHERE final_quiz_id IS NOT NULL AND id IN (SELECT id FROM chosen_courses)
),
grades AS (
    SELECT a.user_id, a.quiz_id, q.pass_mark, max(a.submitted_at) AS last_at,
           round(CASE q.grading_method
               WHEN 'highest' THEN max(COALESCE(a.score, 0))
               WHEN 'average' THEN avg(COALESCE(a.score, 0))
               WHEN 'first' THEN (min(ARRAY[a.number::numeric, COALESCE(a.score, 0)]))[2]
               ELSE (max(ARRAY[a.number::numeric, COALESCE(a.score, 0)]))[2]
           END, 2) AS grade
      FROM training_attempt a JOIN training_quiz q ON q.id = a.quiz_id
     WHERE a.state <> 'in_progress' AND a.quiz_id IN (SELECT quiz_id FROM quizzes)
       AND a.user_id IN (SELECT user_id FROM people)
     GROUP BY a.user_id, a.quiz_id, q.grading_method, q.pass_mark
),
done AS (
    SELECT lp.user_id, l.course_id, count(*) AS n, max(lp.completed_at) AS last_at
      FROM training_lessonprogress lp
      JOIN training_lesson l ON l.id = lp.lesson_id
      LEFT JOIN grades g ON g.user_id = lp.user_id AND g.quiz_id = l.quiz_id
     WHERE lp.status = 'complete' AND l.required AND l.course_id IN (SELECT id FROM chosen_courses)
       AND lp.user_id IN (SELECT user_id FROM people)
       AND (l.quiz_id IS NULL OR g.grade >= g.pass_mark)
     GROUP BY lp.user_id, l.course_id
),
scores AS (
    SELECT g.user_id, qz.course_id, avg(g.grade) AS score, max(g.last_at) AS last_at,
           bool_or(qz.final AND g.grade >= g.pass_mark) AS final_passed
      FROM grades g JOIN quizzes qz ON qz.quiz_id = g.quiz_id
     GROUP BY g.user_id, qz.course_id
),
overrides AS (
    SELECT DISTINCT ON (course_id, person_id) course_id, person_id, deadline FROM training_deadlineoverride
     WHERE course_id IN (SELECT id FROM chosen_courses) ORDER BY course_id, person_id, sort_order, id
),
facts AS (
    SELECT p.pid, sp.user_id, p.course_id, p.direct,
           COALESCE(rq.n, 0) AS required_items,
           LEAST(COALESCE(d.n, 0), COALESCE(rq.n, 0)) AS completed_items,
           COALESCE(d.n, 0) >= COALESCE(rq.n, 0)
               AND (c.final_quiz_id IS NULL OR COALESCE(s.final_passed, false)) AS complete,
           GREATEST(d.last_at, s.last_at) AS last_at,
           COALESCE(o.deadline, c.deadline) AS deadline,
           s.score
      FROM pairs p
      JOIN people sp ON sp.pid = p.pid
      JOIN training_course c ON c.id = p.course_id
      LEFT JOIN required rq ON rq.course_id = p.course_id
      LEFT JOIN done d ON d.user_id = sp.user_id AND d.course_id = p.course_id
      LEFT JOIN overrides o ON o.course_id = p.course_id AND o.person_id = p.pid
      LEFT JOIN scores s ON s.user_id = sp.user_id AND s.course_id = p.course_id
),
written AS (
    INSERT INTO training_coursestatus AS cs
           (person_id, user_id, course_id, direct, required_items, completed_items, complete, completed_at,
            deadline, score, updated_at)
    SELECT pid, user_id, course_id, direct, required_items, completed_items, complete,
           CASE WHEN complete THEN COALESCE(last_at, now()) END, deadline, score, now()
      FROM facts
    ON CONFLICT (person_id, course_id) DO UPDATE SET
           user_id = EXCLUDED.user_id,
           direct = EXCLUDED.direct,
           required_items = EXCLUDED.required_items,
           completed_items = EXCLUDED.completed_items,
           complete = EXCLUDED.complete,
           completed_at = CASE WHEN EXCLUDED.complete THEN COALESCE(cs.completed_at, EXCLUDED.completed_at) END,
           deadline = EXCLUDED.deadline,
           score = EXCLUDED.score,
           updated_at = now()
     WHERE (cs.user_id, cs.direct, cs.required_items, cs.completed_items, cs.complete, cs.deadline, cs.score)
           IS DISTINCT FROM (EXCLUDED.user_id, EXCLUDED.direct, EXCLUDED.required_items, EXCLUDED.completed_items,
                             EXCLUDED.complete, EXCLUDED.deadline, EXCLUDED.score)
    RETURNING 1
)
DELETE FROM training_coursestatus s
 WHERE (%(all_courses)s OR s.course_id = ANY(%(courses)s::int[]))
   AND (%(all_people)s OR s.person_id = ANY(%(people)s::int[]))
   AND NOT EXISTS (SELECT 1 FROM pairs p WHERE p.pid = s.person_id AND p.course_id = s.course_id)
"""


def course_status_refresh(*, person_ids: Iterable[int] | None = None, course_ids: Iterable[int] | None = None) -> None:
    """Recompute the status rows of these people in these courses (None: all), adding rows for new assignments and
    removing those no longer assigned. Idempotent."""
    people = None if person_ids is None else sorted(set(person_ids))
    courses = None if course_ids is None else sorted(set(course_ids))
    if people == [] or courses == []:
        return
    params = {
        "all_people": people is None,
        "people": people or [],
        "all_courses": courses is None,
        "courses": courses or [],
    }
    if connection.vendor != "postgresql":
        course_status_refresh_portable(person_ids=people, course_ids=courses)
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(REFRESH_SQL, params)


_CENT = Decimal("0.01")
_COMPARED = ("user_id", "direct", "required_items", "completed_items", "complete", "deadline", "score")


def _cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(_CENT, rounding=ROUND_HALF_UP)


def _grade(method: str, attempts: list[tuple[int, Decimal]]) -> Decimal:
    scores = [score for _, score in attempts]
    if method == "highest":
        return _cents(max(scores))
    if method == "average":
        return _cents(sum(scores, Decimal(0)) / len(scores))
    if method == "first":
        return _cents(min(attempts)[1])
    return _cents(max(attempts)[1])


def _latest(*values):
    present = [value for value in values if value is not None]
    return max(present) if present else None


def course_status_refresh_portable(
    *, person_ids: Iterable[int] | None = None, course_ids: Iterable[int] | None = None
) -> None:
    """``course_status_refresh`` with the ORM, for databases other than PostgreSQL (the embedded SQLite of
    ``make run``): the same rows as ``REFRESH_SQL``."""
    from .models import Attempt, CourseStatus, DeadlineOverride, Department, LessonProgress, StaffProfile

    people = None if person_ids is None else set(person_ids)
    courses = None if course_ids is None else set(course_ids)
    if people == set() or courses == set():
        return
    with transaction.atomic():
        now = timezone.now()
        children: dict[int | None, list[int]] = defaultdict(list)
        for pk, parent_id in Department.objects.values_list("pk", "parent_id"):
            children[parent_id].append(pk)

        def subtree(root: int) -> set[int]:
            found, stack = set(), [root]
            while stack:
                pk = stack.pop()
                if pk not in found:
                    found.add(pk)
                    stack.extend(children.get(pk, []))
            return found

        chosen = Course.objects.all() if courses is None else Course.objects.filter(pk__in=courses)
        course_facts = {
            pk: (final, deadline) for pk, final, deadline in chosen.values_list("pk", "final_quiz_id", "deadline")
        }
        chosen_ids = list(course_facts)
        members: dict[int, set[int]] = defaultdict(set)
        for person_id, department_id in StaffProfile.departments.through.objects.values_list(
            "staffprofile_id", "department_id"
        ):
            if people is None or person_id in people:
                members[department_id].add(person_id)
        pairs: dict[tuple[int, int], bool] = {}
        audience_departments = Course.audience_departments.through.objects.filter(course_id__in=chosen_ids)
        for course_id, department_id in audience_departments.values_list("course_id", "department_id"):
            for below in subtree(department_id):
                for person_id in members.get(below, ()):
                    pairs.setdefault((person_id, course_id), False)
        audience_people = Course.audience_people.through.objects.filter(course_id__in=chosen_ids)
        for course_id, person_id in audience_people.values_list("course_id", "staffprofile_id"):
            if people is None or person_id in people:
                pairs[(person_id, course_id)] = True

        user_of = dict(StaffProfile.objects.filter(pk__in={pid for pid, _ in pairs}).values_list("pk", "user_id"))
        users = set(user_of.values())
        lessons = list(
            Lesson.objects.filter(course_id__in=chosen_ids).values_list("pk", "course_id", "required", "quiz_id")
        )
        required: dict[int, int] = defaultdict(int)
        quizzes: dict[int, list[tuple[int, bool]]] = defaultdict(list)
        for _, course_id, is_required, quiz_id in lessons:
            required[course_id] += 1 if is_required else 0
            if quiz_id is not None and (quiz_id, False) not in quizzes[course_id]:
                quizzes[course_id].append((quiz_id, False))
        for course_id, (final_quiz_id, _) in course_facts.items():
            if final_quiz_id is not None:
                quizzes[course_id].append((final_quiz_id, True))
        quiz_ids = {quiz_id for entries in quizzes.values() for quiz_id, _ in entries}

        tried: dict[tuple[int, int], list] = defaultdict(list)
        finished = Attempt.objects.exclude(state=Attempt.State.IN_PROGRESS).filter(
            quiz_id__in=quiz_ids, user_id__in=users
        )
        rules = {}
        for user_id, quiz_id, number, score, submitted_at, method, pass_mark in finished.values_list(
            "user_id", "quiz_id", "number", "score", "submitted_at", "quiz__grading_method", "quiz__pass_mark"
        ):
            tried[(user_id, quiz_id)].append((number, Decimal(0) if score is None else Decimal(score), submitted_at))
            rules[quiz_id] = (method, pass_mark)
        grades: dict[tuple[int, int], tuple[Decimal, Decimal, object]] = {}
        for (user_id, quiz_id), attempts in tried.items():
            method, pass_mark = rules[quiz_id]
            grade = _grade(method, [(number, score) for number, score, _ in attempts])
            grades[(user_id, quiz_id)] = (grade, pass_mark, _latest(*(at for _, _, at in attempts)))

        def passed(user_id: int, quiz_id: int) -> bool:
            graded = grades.get((user_id, quiz_id))
            return graded is not None and graded[0] >= graded[1]

        lesson_of = {pk: (course_id, is_required, quiz_id) for pk, course_id, is_required, quiz_id in lessons}
        done: dict[tuple[int, int], list] = {}
        completed = LessonProgress.objects.filter(
            status=LessonProgress.Status.COMPLETE, lesson_id__in=list(lesson_of), user_id__in=users
        )
        for user_id, lesson_id, completed_at in completed.values_list("user_id", "lesson_id", "completed_at"):
            course_id, is_required, quiz_id = lesson_of[lesson_id]
            if is_required and (quiz_id is None or passed(user_id, quiz_id)):
                entry = done.setdefault((user_id, course_id), [0, None])
                entry[0] += 1
                entry[1] = _latest(entry[1], completed_at)

        overrides: dict[tuple[int, int], object] = {}
        for course_id, person_id, deadline in (
            DeadlineOverride.objects.filter(course_id__in=chosen_ids)
            .order_by("course_id", "person_id", "sort_order", "pk")
            .values_list("course_id", "person_id", "deadline")
        ):
            overrides.setdefault((course_id, person_id), deadline)

        existing = {
            (row.person_id, row.course_id): row
            for row in CourseStatus.objects.select_for_update().filter(
                course_id__in=chosen_ids, **({} if people is None else {"person_id__in": people})
            )
        }
        for (person_id, course_id), direct in pairs.items():
            user_id = user_of[person_id]
            final_quiz_id, course_deadline = course_facts[course_id]
            n_required = required.get(course_id, 0)
            n_done, done_at = done.get((user_id, course_id), (0, None))
            graded = [
                (grades[(user_id, quiz_id)], final)
                for quiz_id, final in quizzes.get(course_id, [])
                if (user_id, quiz_id) in grades
            ]
            score = None
            scored_at = None
            final_passed = False
            if graded:
                score = _cents(sum((grade for (grade, _, _), _ in graded), Decimal(0)) / len(graded))
                scored_at = _latest(*(at for (_, _, at), _ in graded))
                final_passed = any(final and grade >= pass_mark for (grade, pass_mark, _), final in graded)
            complete = n_done >= n_required and (final_quiz_id is None or final_passed)
            values = {
                "user_id": user_id,
                "direct": direct,
                "required_items": n_required,
                "completed_items": min(n_done, n_required),
                "complete": complete,
                "deadline": overrides.get((course_id, person_id), course_deadline),
                "score": score,
            }
            completed_at = (_latest(done_at, scored_at) or now) if complete else None
            row = existing.pop((person_id, course_id), None)
            if row is None:
                CourseStatus.objects.create(
                    person_id=person_id, course_id=course_id, completed_at=completed_at, **values
                )
                continue
            if all(getattr(row, name) == values[name] for name in _COMPARED):
                continue
            for name, value in values.items():
                setattr(row, name, value)
            row.completed_at = (row.completed_at or completed_at) if complete else None
            row.save()
        if existing:
            CourseStatus.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()


def course_status_rebuild() -> None:
    """Every status row from the source tables (after an import that bypassed the services, or a migration)."""
    course_status_refresh()


def courses_of_quiz(*, quiz_id: int) -> set[int]:
    lesson_courses = Lesson.objects.filter(quiz_id=quiz_id).values_list("course_id", flat=True)
    return set(lesson_courses) | set(Course.objects.filter(final_quiz_id=quiz_id).values_list("pk", flat=True))


def course_status_for_user(*, user_id: int, course_ids: Iterable[int]) -> None:
    """After a learner's progress or attempt changed: their rows in these courses."""
    from .models import StaffProfile

    with transaction.atomic():
        # The person's row lock orders concurrent refreshes: each one reads what the one before it committed.
        locked = StaffProfile.objects.select_for_update().filter(user_id=user_id).values_list("pk", flat=True)
        person_ids = list(locked)
        if person_ids:
            course_status_refresh(person_ids=person_ids, course_ids=course_ids)
