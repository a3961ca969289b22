"""Training data at scale for the training benchmarks, in a database of the benchmark's own.

``own_database()`` creates a new database beside the one DATABASE_URL names (same PostgreSQL server), points
DATABASE_URL at it, and drops it on the way out, so the benchmarks never touch the demo content. ``seed()`` fills it:
a department tree (a county, 20 townships, 10 offices each), learners in the offices (every 20th in a second
office), 30 live courses (10 county-wide with a final quiz of 10 questions drawn from 20, 20 for two townships
each), 4 required lessons each, lesson progress, and for every learner one submitted attempt at each county-wide
quiz, with an answer per drawn question. Bulk rows are written by INSERT ... SELECT over generate_series.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

TOWNSHIPS = 20
OFFICES_PER_TOWNSHIP = 10
COURSES = 30
COUNTY_WIDE = 10
LESSONS = 4
QUESTIONS_PER_QUIZ = 20
DRAWN = 10
PASSWORD = "bench-pw"


@contextlib.contextmanager
def own_database(prefix: str) -> Iterator[str]:
    """A fresh database for this process; DATABASE_URL points at it until the block ends, then it is dropped."""
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database (scripts/pg.sh start gives one)")
    parts = urlsplit(url)
    name = f"{prefix}_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield name
    finally:
        os.environ["DATABASE_URL"] = url
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass(frozen=True)
class Seeded:
    county_id: int
    township_ids: list[int]
    course_ids: list[int]
    quiz_ids: list[int]
    manager_username: str
    learners: int
    answers: int
    seconds: float


def seed(*, learners: int, attempts: bool = True, today: datetime.date | None = None) -> Seeded:
    """Fill the (empty, migrated) database; returns what the timings need."""
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from cms import roles
    from training.models import (
        Course,
        Department,
        Lesson,
        Question,
        QuestionCategory,
        Quiz,
        QuizDraw,
        StaffProfile,
    )

    started = time.perf_counter()
    today = today or datetime.date.today()
    with transaction.atomic():
        county = Department.objects.create(name="城关县")
        townships = [Department.objects.create(name=f"第{n}街道", parent=county) for n in range(TOWNSHIPS)]
        offices = Department.objects.bulk_create(
            Department(name=f"第{n}服务站", parent=township)
            for township in townships
            for n in range(OFFICES_PER_TOWNSHIP)
        )
        office_ids = [office.pk for office in offices]

        quizzes, question_base = [], []
        for n in range(COUNTY_WIDE):
            category = QuestionCategory.objects.create(name=f"业务{n}")
            rows = Question.objects.bulk_create(
                Question(
                    category=category,
                    type=Question.Type.SINGLE,
                    text=f"第{n}类第{k}题：社保卡补办去哪里？",
                    data={
                        "choices": [
                            {"text": "人社窗口", "weight": "100", "feedback": ""},
                            {"text": "派出所", "weight": "0", "feedback": ""},
                            {"text": "银行柜台", "weight": "0", "feedback": ""},
                            {"text": "居委会", "weight": "0", "feedback": ""},
                        ]
                    },
                )
                for k in range(QUESTIONS_PER_QUIZ)
            )
            quiz = Quiz.objects.create(title=f"测验{n}", pass_mark=60)
            QuizDraw.objects.create(quiz=quiz, category=category, count=DRAWN, sort_order=0)
            quizzes.append(quiz)
            question_base.append(min(row.pk for row in rows))

        courses = []
        for n in range(COURSES):
            course = Course(
                title=f"课程{n:02d}",
                live=True,
                deadline=today - datetime.timedelta(days=10) if n % 2 else today + datetime.timedelta(days=30),
                final_quiz=quizzes[n] if n < COUNTY_WIDE else None,
            )
            course.save()
            if n < COUNTY_WIDE:
                course.audience_departments.set([county])
            else:
                course.audience_departments.set([townships[n % TOWNSHIPS], townships[(n + 7) % TOWNSHIPS]])
            course.save()  # a parental many-to-many is written when the course is saved
            courses.append(course)
        Lesson.objects.bulk_create(
            Lesson(course=course, sort_order=k, title=f"第{k + 1}课", body="<p>正文</p>", required=True)
            for course in courses
            for k in range(LESSONS)
        )

        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                                       is_active, date_joined)
                SELECT '!', false, 'bench' || g, '', '', 'bench' || g || '@example.gov.cn', false, true, now()
                  FROM generate_series(1, %s) g
                """,
                [learners],
            )
            cursor.execute(
                """
                INSERT INTO training_staffprofile (user_id, name, staff_number, mobile)
                SELECT id, '学员' || id, 'B' || lpad(id::text, 7, '0'), ''
                  FROM auth_user WHERE username LIKE 'bench%%'
                """
            )
            cursor.execute(
                """
                INSERT INTO training_staffprofile_departments (staffprofile_id, department_id)
                SELECT sp.id, (%(offices)s::int[])[1 + sp.id %% cardinality(%(offices)s::int[])]
                  FROM training_staffprofile sp
                UNION
                SELECT sp.id, (%(offices)s::int[])[1 + (sp.id * 7 + 3) %% cardinality(%(offices)s::int[])]
                  FROM training_staffprofile sp WHERE sp.id %% 20 = 0
                """,
                {"offices": office_ids},
            )
            # Lessons of the county-wide courses: each done by about four learners in five.
            cursor.execute(
                """
                INSERT INTO training_lessonprogress (user_id, lesson_id, status, completed_by, watched_ranges,
                                                     watched_seconds, position, started_at, updated_at, completed_at)
                SELECT sp.user_id, l.id, 'complete', 'marked_done', '[]', 0, 0, now(), now(), now()
                  FROM training_staffprofile sp
                  JOIN training_lesson l ON l.course_id = ANY(%(courses)s)
                 WHERE abs(hashtext(sp.user_id || ':' || l.id)) %% 10 < 8
                """,
                {"courses": [course.pk for course in courses[:COUNTY_WIDE]]},
            )
            cursor.execute(
                """
                INSERT INTO training_deadlineoverride (course_id, person_id, deadline, sort_order)
                SELECT %(course)s, sp.id, %(later)s, 0 FROM training_staffprofile sp WHERE sp.id %% 20 = 1
                """,
                {"course": courses[1].pk, "later": today + datetime.timedelta(days=60)},
            )
            answers = 0
            if attempts:
                cursor.execute(
                    """
                    INSERT INTO training_attempt (user_id, quiz_id, number, state, questions, started_at,
                                                  submitted_at, score, passed)
                    SELECT sp.user_id, q, 1, 'submitted', '[]', now(), now(), s, s >= 60
                      FROM training_staffprofile sp
                     CROSS JOIN unnest(%(quizzes)s::int[]) q
                     CROSS JOIN LATERAL (SELECT (40 + abs(hashtext(sp.user_id || '/' || q)) %% 61)::numeric AS s) x
                    """,
                    {"quizzes": [quiz.pk for quiz in quizzes]},
                )
                # Option 0 is right; about 7 answers in 10 choose it, the rest one of the three wrong ones.
                cursor.execute(
                    """
                    INSERT INTO training_answer (attempt_id, question_id, response, score, correct, updated_at)
                    SELECT a.id, qb.base + (a.id + k) %% %(per_quiz)s, to_jsonb(c.choice), (c.choice = 0)::int,
                           c.choice = 0, now()
                      FROM training_attempt a
                      JOIN unnest(%(quizzes)s::int[], %(bases)s::int[]) AS qb(quiz_id, base) ON qb.quiz_id = a.quiz_id
                     CROSS JOIN generate_series(0, %(drawn)s - 1) k
                     CROSS JOIN LATERAL (
                         SELECT CASE WHEN h < 7 THEN 0 ELSE h - 6 END AS choice
                           FROM (SELECT abs(hashtext(a.id || ':' || k)) %% 10 AS h) x
                     ) c
                    """,
                    {
                        "quizzes": [quiz.pk for quiz in quizzes],
                        "bases": question_base,
                        "per_quiz": QUESTIONS_PER_QUIZ,
                        "drawn": DRAWN,
                    },
                )
                answers = cursor.rowcount
            cursor.execute("ANALYZE")

        manager = StaffProfile.objects.create(
            user=_user("bench-manager", groups=[Group.objects.get(name=roles.TRAINING_MANAGERS)]),
            name="培训管理员",
            staff_number="M0000001",
        )
        manager.departments.set([county])
    return Seeded(
        county_id=county.pk,
        township_ids=[township.pk for township in townships],
        course_ids=[course.pk for course in courses],
        quiz_ids=[quiz.pk for quiz in quizzes],
        manager_username=manager.user.username,
        learners=learners,
        answers=answers,
        seconds=time.perf_counter() - started,
    )


def _user(username: str, *, groups):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    user.groups.set(groups)
    return user


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]
