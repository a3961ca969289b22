"""The per (person, course) status rows the dashboards add up (``CourseStatus``): recomputed from lessons, progress,
attempts, deadlines and audiences for the people and courses a change touched, in one statement each time."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

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
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(REFRESH_SQL, params)


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
