"""Dashboard reads for training managers: completion, overdue and scores per department (rolled up over the tree)
and per course, and per-question facility. Every figure is aggregated in PostgreSQL in a fixed number of queries,
whatever the number of learners; people are confined to the manager's departments (``selectors``)."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors
from .models import Course, Department, Lesson, Question, Quiz


class DashboardScopeError(LookupError):
    """A department or course the manager may not see (or that does not exist)."""


@dataclass(frozen=True)
class CompletionRow:
    key: int
    label: str
    assigned: int = 0
    completed: int = 0
    overdue: int = 0
    average_score: Decimal | None = None

    @property
    def percent(self) -> int:
        return int(self.completed * 100 / self.assigned) if self.assigned else 0

    @property
    def overdue_percent(self) -> int:
        return int(self.overdue * 100 / self.assigned) if self.assigned else 0


@dataclass(frozen=True)
class CompletionDashboard:
    department: Department | None
    course: Course | None
    total: CompletionRow
    departments: list[CompletionRow] = field(default_factory=list)
    courses: list[CompletionRow] = field(default_factory=list)


@dataclass(frozen=True)
class _Tree:
    names: dict[int, str]
    parents: dict[int, int | None]
    children: dict[int | None, list[int]]

    @classmethod
    def load(cls) -> _Tree:
        names, parents, children = {}, {}, {}
        for pk, name, parent_id in Department.objects.values_list("pk", "name", "parent_id"):
            names[pk], parents[pk] = name, parent_id
            children.setdefault(parent_id, []).append(pk)
        return cls(names=names, parents=parents, children=children)

    def labels(self) -> dict[int, str]:
        """Each department as managers read it (its path: many offices share a name)."""
        return selectors.department_labels_of({pk: (name, self.parents[pk]) for pk, name in self.names.items()})

    def subtree(self, root: int) -> set[int]:
        found, stack = set(), [root]
        while stack:
            pk = stack.pop()
            if pk not in found:
                found.add(pk)
                stack.extend(self.children.get(pk, []))
        return found


# The aggregates hash a row per (learner, course): enough memory keeps them off the disk.
DASHBOARD_WORK_MEM = "64MB"


def _fetch(sql: str, params: dict) -> list[tuple]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{DASHBOARD_WORK_MEM}'")
        cursor.execute(sql, params)
        return cursor.fetchall()


def _manager_scope(*, user, tree: _Tree) -> set[int]:
    scope = selectors.manager_department_ids(user=user)
    return set(tree.names) if scope is None else scope


def dashboard_courses(*, user):
    """The live courses a manager may put on a dashboard."""
    return selectors.courses_for_manager(user=user).filter(live=True).order_by("title")


def dashboard_departments(*, user):
    return selectors.departments_for_manager(user=user).order_by("name")


FACTS_SQL = """
WITH
reach(dept_id, course_id) AS (SELECT * FROM unnest(%(reach_dept)s::int[], %(reach_course)s::int[])),
row_map(dept_id, row_id) AS (SELECT * FROM unnest(%(group_dept)s::int[], %(group_row)s::int[])),
facts AS MATERIALIZED (
    -- The status rows of people with a department in the scope that the course reaches (or named in its audience).
    SELECT s.person_id AS pid, s.course_id, s.complete, s.deadline, s.score
      FROM training_coursestatus s
     WHERE s.course_id = ANY(%(courses)s)
       AND EXISTS (SELECT 1 FROM training_staffprofile_departments m
                    WHERE m.staffprofile_id = s.person_id AND m.department_id = ANY(%(total)s)
                      AND (s.direct OR (m.department_id, s.course_id) IN (SELECT dept_id, course_id FROM reach)))
)
"""

COMPLETION_SQL = (
    FACTS_SQL
    + """,
rows AS (
    SELECT DISTINCT m.staffprofile_id AS pid, g.row_id
      FROM training_staffprofile_departments m JOIN row_map g ON g.dept_id = m.department_id
)
SELECT 't', 0, count(*), count(*) FILTER (WHERE complete),
       count(*) FILTER (WHERE NOT complete AND deadline < %(today)s), avg(score)
  FROM facts
UNION ALL
SELECT 'c', course_id, count(*), count(*) FILTER (WHERE complete),
       count(*) FILTER (WHERE NOT complete AND deadline < %(today)s), avg(score)
  FROM facts GROUP BY course_id
UNION ALL
SELECT 'd', r.row_id, count(*), count(*) FILTER (WHERE complete),
       count(*) FILTER (WHERE NOT complete AND deadline < %(today)s), avg(score)
  FROM facts f JOIN rows r ON r.pid = f.pid GROUP BY r.row_id
"""
)


OVERDUE_SQL = (
    FACTS_SQL
    + """
SELECT sp.id, sp.user_id, sp.name, sp.staff_number, f.course_id, f.deadline
  FROM facts f JOIN training_staffprofile sp ON sp.id = f.pid
 WHERE NOT f.complete AND f.deadline < %(today)s
 ORDER BY sp.staff_number, f.deadline, f.course_id
"""
)


def _portable() -> bool:
    return connection.vendor != "postgresql"


def _facts(params: dict) -> list[tuple[int, int, bool, datetime.date | None, Decimal | None]]:
    """``FACTS_SQL`` with the ORM: (person, course, complete, deadline, score) of the status rows in the scope."""
    from .models import CourseStatus, StaffProfile

    reach = set(zip(params["reach_dept"], params["reach_course"], strict=True))
    total = set(params["total"])
    memberships: dict[int, set[int]] = defaultdict(set)
    for person_id, department_id in StaffProfile.departments.through.objects.filter(
        department_id__in=total
    ).values_list("staffprofile_id", "department_id"):
        memberships[person_id].add(department_id)
    found = []
    statuses = CourseStatus.objects.filter(course_id__in=params["courses"], person_id__in=list(memberships))
    for pid, course_id, direct, complete, deadline, score in statuses.values_list(
        "person_id", "course_id", "direct", "complete", "deadline", "score"
    ):
        if direct or any((dept, course_id) in reach for dept in memberships[pid]):
            found.append((pid, course_id, complete, deadline, score))
    return found


def _figures(facts: list[tuple], today: datetime.date) -> tuple[int, int, int, Decimal | None]:
    scores = [score for *_, score in facts if score is not None]
    return (
        len(facts),
        sum(1 for _, _, complete, _, _ in facts if complete),
        sum(1 for _, _, complete, deadline, _ in facts if not complete and deadline is not None and deadline < today),
        sum(scores, Decimal(0)) / len(scores) if scores else None,
    )


def _completion_rows(params: dict) -> list[tuple]:
    if not _portable():
        return _fetch(COMPLETION_SQL, params)
    from .models import StaffProfile

    facts, today = _facts(params), params["today"]
    found = [("t", 0, *_figures(facts, today))]
    by_course: dict[int, list[tuple]] = defaultdict(list)
    for fact in facts:
        by_course[fact[1]].append(fact)
    found += [("c", course_id, *_figures(group, today)) for course_id, group in by_course.items()]
    row_of_dept: dict[int, set[int]] = defaultdict(set)
    for dept, row_id in zip(params["group_dept"], params["group_row"], strict=True):
        row_of_dept[dept].add(row_id)
    rows_of_person: dict[int, set[int]] = defaultdict(set)
    for person_id, department_id in StaffProfile.departments.through.objects.filter(
        department_id__in=list(row_of_dept)
    ).values_list("staffprofile_id", "department_id"):
        rows_of_person[person_id] |= row_of_dept[department_id]
    by_row: dict[int, list[tuple]] = defaultdict(list)
    for fact in facts:
        for row_id in rows_of_person.get(fact[0], ()):
            by_row[row_id].append(fact)
    found += [("d", row_id, *_figures(group, today)) for row_id, group in by_row.items()]
    return found


def _overdue_rows(params: dict) -> list[tuple]:
    if not _portable():
        return _fetch(OVERDUE_SQL, params)
    from .models import StaffProfile

    today = params["today"]
    late = [
        (pid, course_id, deadline)
        for pid, course_id, complete, deadline, _ in _facts(params)
        if not complete and deadline is not None and deadline < today
    ]
    people = StaffProfile.objects.in_bulk({pid for pid, _, _ in late})
    found = [
        (pid, people[pid].user_id, people[pid].name, people[pid].staff_number, course_id, deadline)
        for pid, course_id, deadline in late
    ]
    found.sort(key=lambda row: (row[3], row[5], row[4]))
    return found


def _question_rows(params: dict) -> list[tuple]:
    if not _portable():
        return _fetch(QUESTION_SQL, params)
    from .models import Answer, Attempt, StaffProfile

    users = StaffProfile.objects.filter(departments__in=params["total"]).values("user_id")
    answers = Answer.objects.filter(attempt__quiz_id=params["quiz"], attempt__user_id__in=users).exclude(
        attempt__state=Attempt.State.IN_PROGRESS
    )
    totals: dict[int, list[int]] = {}
    chosen: dict[tuple[int, str], int] = defaultdict(int)
    for question_id, correct, response in answers.values_list("question_id", "correct", "response"):
        counted = totals.setdefault(question_id, [0, 0])
        counted[0] += 1
        counted[1] += 1 if correct is True else 0
        if correct is True or response is None or isinstance(response, dict):
            continue
        for choice in response if isinstance(response, list) else [response]:
            chosen[(question_id, json.dumps(choice, sort_keys=True, ensure_ascii=False))] += 1
    found = [(question_id, None, count, correct) for question_id, (count, correct) in totals.items()]
    found += [(question_id, choice, count, 0) for (question_id, choice), count in chosen.items()]
    return found


@dataclass(frozen=True)
class _Scope:
    tree: _Tree
    department: Department | None
    course: Course | None
    courses: dict[int, Course]
    total: set[int]
    row_roots: list[int]
    params: dict


def _scope(*, user, department_id: int | None, course_id: int | None, today: datetime.date) -> _Scope:
    """What a query may count: the departments (the chosen one and those below, within the manager's), the live
    courses the manager sees (or the chosen one), and which departments reach each course."""
    tree = _Tree.load()
    scope = _manager_scope(user=user, tree=tree)
    department = None
    if department_id is not None:
        if department_id not in scope:
            raise DashboardScopeError(department_id)
        department = Department(pk=department_id, name=tree.names[department_id], parent_id=tree.parents[department_id])
        total = tree.subtree(department_id) & scope
        row_roots = [pk for pk in tree.children.get(department_id, []) if pk in scope]
    else:
        total = scope
        row_roots = [pk for pk in scope if tree.parents[pk] not in scope]
    courses = {course.pk: course for course in dashboard_courses(user=user).prefetch_related("audience_departments")}
    course = None
    if course_id is not None:
        if course_id not in courses:
            raise DashboardScopeError(course_id)
        course = courses[course_id]
        courses = {course_id: course}

    reach_dept, reach_course = [], []
    for pk, item in courses.items():
        reached: set[int] = set()
        for audience in item.audience_departments.all():
            reached |= tree.subtree(audience.pk)
        for dept in reached & total:
            reach_dept.append(dept)
            reach_course.append(pk)
    quiz_course, quiz_id, quiz_final = [], [], []
    if courses:
        lesson_quizzes = Lesson.objects.filter(course__in=list(courses), quiz__isnull=False)
        for course_pk, pk in lesson_quizzes.order_by().values_list("course_id", "quiz_id").distinct():
            quiz_course.append(course_pk), quiz_id.append(pk), quiz_final.append(False)
    for pk, item in courses.items():
        if item.final_quiz_id:
            quiz_course.append(pk), quiz_id.append(item.final_quiz_id), quiz_final.append(True)
    group_dept, group_row = [], []
    for root in row_roots:
        for dept in tree.subtree(root) & total:
            group_dept.append(dept)
            group_row.append(root)
    params = {
        "reach_dept": reach_dept,
        "reach_course": reach_course,
        "group_dept": group_dept,
        "group_row": group_row,
        "courses": list(courses),
        "total": list(total),
        "quiz_course": quiz_course,
        "quiz_id": quiz_id,
        "quiz_final": quiz_final,
        "today": today,
    }
    return _Scope(
        tree=tree,
        department=department,
        course=course,
        courses=courses,
        total=total,
        row_roots=row_roots,
        params=params,
    )


def completion_dashboard(
    *,
    user,
    department_id: int | None = None,
    course_id: int | None = None,
    today: datetime.date | None = None,
) -> CompletionDashboard:
    """Assigned, completed, overdue and average score for the chosen department (default: all the manager's),
    one row per department directly below it (each rolled up over its own subtree) and one per course.

    A learner counts once per course they take; completion needs every required lesson (and a passed final quiz);
    overdue means the deadline (the person's own override first) has passed and the course is not complete.
    """
    scope = _scope(user=user, department_id=department_id, course_id=course_id, today=today or timezone.localdate())
    figures: dict[tuple[str, int], tuple[int, int, int, Decimal | None]] = {}
    if scope.courses and scope.total:
        for kind, key, assigned, completed, overdue, score in _completion_rows(scope.params):
            figures[(kind, key)] = (assigned, completed, overdue, score)

    def row(kind: str, key: int, label: str) -> CompletionRow:
        assigned, completed, overdue, score = figures.get((kind, key), (0, 0, 0, None))
        return CompletionRow(
            key=key,
            label=label,
            assigned=assigned,
            completed=completed,
            overdue=overdue,
            average_score=_round(score),
        )

    labels = scope.tree.labels()
    # Rows below a chosen department are its children, told apart by name; the manager's own top departments may
    # lie under different townships and share a name, so they read as paths.
    row_labels = scope.tree.names if scope.department else labels
    return CompletionDashboard(
        department=scope.department,
        course=scope.course,
        total=row("t", 0, labels[scope.department.pk] if scope.department else ""),
        departments=sorted((row("d", pk, row_labels[pk]) for pk in scope.row_roots), key=lambda item: item.label),
        courses=[row("c", pk, item.title) for pk, item in scope.courses.items()],
    )


@dataclass(frozen=True)
class OverdueRow:
    person_id: int
    user_id: int
    name: str
    staff_number: str
    course_id: int
    course_title: str
    deadline: datetime.date


def overdue_assignments(
    *,
    user,
    department_id: int | None = None,
    course_id: int | None = None,
    today: datetime.date | None = None,
) -> list[OverdueRow]:
    """Each (learner, course) in the manager's departments whose deadline has passed with the course incomplete."""
    scope = _scope(user=user, department_id=department_id, course_id=course_id, today=today or timezone.localdate())
    if not (scope.courses and scope.total):
        return []
    rows = _overdue_rows(scope.params)
    return [
        OverdueRow(
            person_id=pid,
            user_id=user_id,
            name=name,
            staff_number=number,
            course_id=course_pk,
            course_title=scope.courses[course_pk].title,
            deadline=deadline,
        )
        for pid, user_id, name, number, course_pk, deadline in rows
    ]


def _round(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.1"))


QUESTION_SQL = """
WITH
people AS (
    SELECT DISTINCT sp.user_id FROM training_staffprofile sp
      JOIN training_staffprofile_departments m ON m.staffprofile_id = sp.id
     WHERE m.department_id = ANY(%(total)s)
),
answers AS MATERIALIZED (
    SELECT an.question_id, an.correct, an.response
      FROM training_answer an JOIN training_attempt a ON a.id = an.attempt_id
     WHERE a.quiz_id = %(quiz)s AND a.state <> 'in_progress' AND a.user_id IN (SELECT user_id FROM people)
)
SELECT question_id, NULL::text, count(*), count(*) FILTER (WHERE correct) FROM answers GROUP BY question_id
UNION ALL
SELECT question_id, choice::text, count(*), 0
  FROM answers,
       jsonb_array_elements(
           CASE jsonb_typeof(response) WHEN 'array' THEN response ELSE jsonb_build_array(response) END
       ) AS choice
 WHERE correct IS NOT TRUE AND jsonb_typeof(response) IN ('array', 'number', 'boolean', 'string')
 GROUP BY question_id, choice
"""


@dataclass(frozen=True)
class QuestionRow:
    question_id: int
    label: str
    type: str
    answers: int
    correct: int
    wrong_answer: str = ""
    wrong_count: int = 0

    @property
    def facility(self) -> int:
        """The share of answers that were right, in percent."""
        return int(self.correct * 100 / self.answers) if self.answers else 0


@dataclass(frozen=True)
class QuestionDashboard:
    quiz: Quiz
    rows: list[QuestionRow]


def dashboard_quizzes(*, user) -> QuerySet[Quiz]:
    """The quizzes of the live courses a manager may put on a dashboard (lesson quizzes and final quizzes)."""
    courses = dashboard_courses(user=user)
    reached = Q(lessons__course__in=courses) | Q(final_of_courses__in=courses)
    return Quiz.objects.filter(reached).distinct().order_by("title")


def _wrong_label(question: Question, value) -> str | None:
    """The text of a chosen option if it is a wrong one (None when it is right or cannot be read)."""
    data = question.data or {}
    match question.type:
        case Question.Type.SINGLE | Question.Type.MULTIPLE:
            choices = data.get("choices", [])
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(choices):
                return None
            choice = choices[value]
            return None if Decimal(str(choice.get("weight", 0))) > 0 else str(choice.get("text", ""))
        case Question.Type.TRUE_FALSE:
            if not isinstance(value, bool) or value == bool(data.get("answer")):
                return None
            return _("Answered true") if value else _("Answered false")
        case Question.Type.SHORT_ANSWER:
            return value if isinstance(value, str) and value.strip() else None
    return None


def question_dashboard(*, user, quiz_id: int, department_id: int | None = None) -> QuestionDashboard:
    """Per question of a quiz: how many answers (finished attempts of learners in the manager's departments), the
    share right (facility), and the wrong answer chosen most often."""
    quiz = dashboard_quizzes(user=user).filter(pk=quiz_id).first()
    if quiz is None:
        raise DashboardScopeError(quiz_id)
    tree = _Tree.load()
    scope = _manager_scope(user=user, tree=tree)
    if department_id is not None:
        if department_id not in scope:
            raise DashboardScopeError(department_id)
        scope = tree.subtree(department_id) & scope
    totals: dict[int, tuple[int, int]] = {}
    chosen: dict[int, list[tuple[object, int]]] = defaultdict(list)
    if scope:
        for question_id, choice, count, correct in _question_rows({"total": list(scope), "quiz": quiz.pk}):
            if choice is None:
                totals[question_id] = (count, correct)
            else:
                chosen[question_id].append((json.loads(choice), count))
    questions = Question.objects.filter(pk__in=list(totals)).only("pk", "type", "text", "title", "data").in_bulk()
    rows = []
    for question_id, (count, correct) in totals.items():
        question = questions[question_id]
        wrong = [(label, n) for value, n in chosen[question_id] if (label := _wrong_label(question, value)) is not None]
        wrong.sort(key=lambda item: -item[1])
        rows.append(
            QuestionRow(
                question_id=question_id,
                label=str(question),
                type=question.get_type_display(),
                answers=count,
                correct=correct,
                wrong_answer=wrong[0][0] if wrong else "",
                wrong_count=wrong[0][1] if wrong else 0,
            )
        )
    rows.sort(key=lambda row: (row.facility, row.question_id))
    return QuestionDashboard(quiz=quiz, rows=rows)
