"""Manager dashboards: completion, overdue and scores per department (rolled up) and per course, scoped to the
manager's departments, drawn as SVG bars beside a table, exported as CSV and XLSX."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.training import builders, quiz_builders
from training import dashboards, quiz_services
from training.course_status import course_status_rebuild
from training.models import Answer, Attempt, DeadlineOverride, LessonProgress

TODAY = datetime.date(2026, 6, 1)
PAST = TODAY - datetime.timedelta(days=3)
FUTURE = TODAY + datetime.timedelta(days=30)


def complete(profile, course):
    for lesson in course.lessons.all():
        LessonProgress.objects.update_or_create(
            user=profile.user, lesson=lesson, defaults={"status": LessonProgress.Status.COMPLETE}
        )


@pytest.fixture
def world(departments):
    """城关县 (east → office, west) with a county-wide course past its deadline, an office course, and people in
    the other county who must never show up."""
    d = departments
    people = {
        "li": builders.staff("李明", d["office"]),
        "zhao": builders.staff("赵丽", d["office"], d["west"]),  # in two departments: counted once per course
        "zhang": builders.staff("张强", d["west"]),
        "wang": builders.staff("王芳", d["east"]),
        "chen": builders.staff("陈红", d["other"]),
    }
    two_lessons = [{"title": "第一课", "body": "<p>一</p>"}, {"title": "第二课", "body": "<p>二</p>"}]
    county = builders.course("全县课程", departments=[d["county"]], lessons=two_lessons, deadline=PAST)
    office = builders.course("中心课程", departments=[d["office"]], deadline=FUTURE)
    other = builders.course("河西课程", departments=[d["other"]], deadline=PAST)
    complete(people["li"], county)
    # half done does not count as complete
    LessonProgress.objects.create(
        user=people["zhang"].user, lesson=county.lessons.first(), status=LessonProgress.Status.COMPLETE
    )
    # wang's own deadline is later: not overdue
    DeadlineOverride.objects.create(course=county, person=people["wang"], deadline=FUTURE)
    complete(people["chen"], other)
    boss = builders.manager("刘主任", d["county"])
    course_status_rebuild()  # the progress and the personal deadline above were written with the ORM
    return {"d": d, "people": people, "county": county, "office": office, "other": other, "boss": boss}


def test_completion_per_course_and_per_department(world, django_assert_max_num_queries):
    d, boss = world["d"], world["boss"]
    with django_assert_max_num_queries(15):
        board = dashboards.completion_dashboard(user=boss.user, today=TODAY)
    by_course = {row.label: row for row in board.courses}
    assert "河西课程" not in by_course
    county = by_course["全县课程"]
    # li, zhao, zhang, wang and the manager himself (in 城关县)
    assert (county.assigned, county.completed, county.overdue) == (5, 1, 3)
    assert county.percent == 20
    office = by_course["中心课程"]
    assert (office.assigned, office.completed, office.overdue) == (2, 0, 0)
    assert (board.total.assigned, board.total.completed, board.total.overdue) == (7, 1, 3)
    [county_row] = board.departments
    assert county_row.key == d["county"].pk and county_row.assigned == 7

    board = dashboards.completion_dashboard(user=boss.user, department_id=d["county"].pk, today=TODAY)
    rows = {row.label: row for row in board.departments}
    assert set(rows) == {"东关街道", "西关街道"}
    # east rolls up the office below it: li, zhao (office) and wang (east) take the county course, li and zhao the
    # office course
    assert (rows["东关街道"].assigned, rows["东关街道"].completed, rows["东关街道"].overdue) == (5, 1, 1)
    assert (rows["西关街道"].assigned, rows["西关街道"].completed, rows["西关街道"].overdue) == (3, 0, 2)


def test_the_query_count_does_not_grow_with_people(
    world, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(30):
            builders.staff(f"新人{number}", world["d"]["office"])
    with django_assert_max_num_queries(15):
        board = dashboards.completion_dashboard(user=world["boss"].user, today=TODAY)
    assert board.total.assigned == 7 + 60


def test_course_filter_and_another_countys_manager(world, django_capture_on_commit_callbacks):
    d = world["d"]
    board = dashboards.completion_dashboard(user=world["boss"].user, course_id=world["office"].pk, today=TODAY)
    assert [row.label for row in board.courses] == ["中心课程"] and board.total.assigned == 2
    with django_capture_on_commit_callbacks(execute=True):
        outsider = builders.manager("何主任", d["other"])
    board = dashboards.completion_dashboard(user=outsider.user, today=TODAY)
    assert [row.label for row in board.courses] == ["河西课程"]
    assert (board.total.assigned, board.total.completed) == (2, 1)  # chen and the outside manager
    with pytest.raises(dashboards.DashboardScopeError):
        dashboards.completion_dashboard(user=outsider.user, department_id=d["county"].pk, today=TODAY)
    with pytest.raises(dashboards.DashboardScopeError):
        dashboards.completion_dashboard(user=outsider.user, course_id=world["county"].pk, today=TODAY)


def test_overdue_list_honours_personal_deadlines(world):
    rows = dashboards.overdue_assignments(user=world["boss"].user, today=TODAY)
    names = {(row.name, row.course_title) for row in rows}
    assert names == {("赵丽", "全县课程"), ("张强", "全县课程"), ("刘主任", "全县课程")}


def manager_client(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    return client


def test_dashboard_page_draws_bars_and_a_table(world):
    client = manager_client(world["boss"])
    response = client.get(reverse("training_dashboard_courses"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and 'class="training-chart' in html
    assert "全县课程" in html and "中心课程" in html and "河西课程" not in html
    assert "<script>" not in html and ' style="' not in html.split("<main", 1)[-1]
    html = client.get(reverse("training_dashboard_departments"), {"department": world["d"]["county"].pk}).content
    html = html.decode()
    assert "东关街道" in html and "西关街道" in html and "河西县" not in html


def test_another_countys_department_is_refused(world):
    outsider = builders.manager("何主任", world["d"]["other"])
    client = manager_client(outsider)
    response = client.get(reverse("training_dashboard_departments"), {"department": world["d"]["county"].pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "东关街道" not in html and "全县课程" not in html and "河西课程" in html


def test_a_learner_cannot_open_the_dashboard(world):
    client = manager_client(world["people"]["li"])
    response = client.get(reverse("training_dashboard_courses"))
    assert response.status_code in (302, 403)
    assert "全县课程" not in response.content.decode()


def test_exports_csv_and_xlsx(world):
    client = manager_client(world["boss"])
    response = client.get(reverse("training_dashboard_courses"), {"export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    by_title = {row[0]: row for row in rows[1:]}
    assert set(by_title) == {"全县课程", "中心课程"}
    assert by_title["全县课程"][1:4] == ["5", "1", "20"]
    response = client.get(reverse("training_dashboard_departments"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][0] == "城关县" and values[1][1] == 7


def test_today_is_the_default(world):
    board = dashboards.completion_dashboard(user=world["boss"].user)
    assert board.total.overdue == (6 if timezone.localdate() > FUTURE else 3)


@pytest.fixture
def quizzed(departments):
    """A county course with a final quiz of five questions (one of each type), answered by three learners here and
    one in the other county, whose answers must not count."""
    d = departments
    category, questions = quiz_builders.bank()
    quiz = quiz_builders.quiz(category, count=5)
    course = quiz_builders.course_with_quiz(d, quiz, final=True)
    people = {
        "li": builders.staff("李明", d["office"]),
        "zhang": builders.staff("张强", d["west"]),
        "wang": builders.staff("王芳", d["east"]),
    }
    right = quiz_builders.right_answers(questions)
    single, multiple, true_false = questions["single"].pk, questions["multiple"].pk, questions["true_false"].pk
    answers = {
        "li": right,
        "zhang": {**right, single: 1, multiple: [0, 2], true_false: False},
        "wang": {**right, single: 1},
    }
    for key, given in answers.items():
        attempt = quiz_services.quiz_attempt_start(user=people[key].user, quiz=quiz)
        quiz_services.quiz_attempt_submit(user=people[key].user, attempt=attempt, answers=given)
    for key in ("li", "wang"):
        for lesson in course.lessons.all():
            LessonProgress.objects.create(user=people[key].user, lesson=lesson, status=LessonProgress.Status.COMPLETE)
    outside = builders.staff("陈红", d["other"])
    attempt = Attempt.objects.create(
        user=outside.user, quiz=quiz, number=1, state=Attempt.State.SUBMITTED, questions=[], score=0
    )
    for question in questions.values():
        Answer.objects.create(attempt=attempt, question=question, response=2, correct=False)
    boss = builders.manager("刘主任", d["county"])
    course_status_rebuild()
    return {"quiz": quiz, "course": course, "people": people, "questions": questions, "boss": boss, "d": d}


def test_question_facility_and_most_chosen_wrong_answer(quizzed, django_assert_max_num_queries):
    boss = quizzed["boss"]
    with django_assert_max_num_queries(15):
        board = dashboards.question_dashboard(user=boss.user, quiz_id=quizzed["quiz"].pk)
    rows = {row.question_id: row for row in board.rows}
    q = quizzed["questions"]
    single = rows[q["single"].pk]
    assert (single.answers, single.correct, single.facility) == (3, 1, 33)
    assert (single.wrong_answer, single.wrong_count) == ("派出所", 2)
    multiple = rows[q["multiple"].pk]
    assert (multiple.answers, multiple.correct, multiple.wrong_answer, multiple.wrong_count) == (3, 2, "户口本", 1)
    assert rows[q["true_false"].pk].facility == 66 and rows[q["true_false"].pk].wrong_count == 1
    assert rows[q["short_answer"].pk].facility == 100 and rows[q["short_answer"].pk].wrong_answer == ""
    assert board.rows[0].question_id == single.question_id  # hardest first
    # the west street alone: only zhang
    west = dashboards.question_dashboard(
        user=boss.user, quiz_id=quizzed["quiz"].pk, department_id=quizzed["d"]["west"].pk
    )
    assert {row.answers for row in west.rows} == {1}


def test_another_county_sees_no_question_of_this_one(quizzed):
    outsider = builders.manager("何主任", quizzed["d"]["other"])
    with pytest.raises(dashboards.DashboardScopeError):
        dashboards.question_dashboard(user=outsider.user, quiz_id=quizzed["quiz"].pk)
    client = manager_client(outsider)
    response = client.get(reverse("training_dashboard_questions"), {"quiz": quizzed["quiz"].pk})
    assert "社保卡补办去哪里" not in response.content.decode()


def test_completion_needs_the_final_quiz_and_scores_average(quizzed):
    board = dashboards.completion_dashboard(user=quizzed["boss"].user)
    [row] = board.courses
    people = quizzed["people"]
    scores = [Attempt.objects.get(user=people[key].user, quiz=quizzed["quiz"]).score for key in ("li", "zhang", "wang")]
    # li and wang passed the final quiz and did the lesson; zhang did neither; the manager did nothing
    assert (row.assigned, row.completed) == (4, 2)
    assert row.average_score == (sum(scores) / 3).quantize(Decimal("0.1"))


def test_question_page_and_export(quizzed):
    client = manager_client(quizzed["boss"])
    html = client.get(reverse("training_dashboard_questions")).content.decode()
    assert "<svg" in html and "社保卡补办去哪里" in html and "派出所" in html
    response = client.get(reverse("training_dashboard_questions"), {"quiz": quizzed["quiz"].pk, "export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(content))}
    assert rows["社保卡补办去哪里？"][2:] == ["3", "1", "33", "派出所", "2"]


def both_ways(monkeypatch, read):
    """A dashboard read through the PostgreSQL statements, then through the portable ORM code."""
    with monkeypatch.context() as patched:
        patched.setattr(dashboards, "_portable", lambda: False)
        sql = read()
    with monkeypatch.context() as patched:
        patched.setattr(dashboards, "_portable", lambda: True)
        portable = read()
    return sql, portable


def test_the_portable_dashboards_agree_with_the_sql(world, monkeypatch):
    boss, d, county = world["boss"].user, world["d"], world["county"]
    world["office"].audience_people.set([world["people"]["zhang"]])  # west, named in the office course
    world["office"].save()
    course_status_rebuild()
    reads = [
        lambda: dashboards.completion_dashboard(user=boss, today=TODAY),
        lambda: dashboards.completion_dashboard(user=boss, department_id=d["east"].pk, today=TODAY),
        lambda: dashboards.completion_dashboard(user=boss, course_id=county.pk, today=TODAY),
        lambda: dashboards.overdue_assignments(user=boss, today=TODAY),
        lambda: dashboards.overdue_assignments(user=boss, department_id=d["west"].pk, today=FUTURE),
    ]
    for read in reads:
        sql, portable = both_ways(monkeypatch, read)
        assert sql == portable
    board = both_ways(monkeypatch, reads[0])[1]
    assert (board.total.assigned, board.total.completed, board.total.overdue) == (8, 1, 3)
    assert len(both_ways(monkeypatch, reads[3])[1]) == 3


def test_the_portable_question_dashboard_agrees_with_the_sql(quizzed, monkeypatch):
    boss, quiz, d = quizzed["boss"].user, quizzed["quiz"], quizzed["d"]
    for department in (None, d["west"], d["east"]):
        sql, portable = both_ways(
            monkeypatch,
            lambda chosen=department: dashboards.question_dashboard(
                user=boss, quiz_id=quiz.pk, department_id=chosen.pk if chosen else None
            ),
        )
        assert sql == portable and sql.rows
    scored = both_ways(monkeypatch, lambda: dashboards.completion_dashboard(user=boss))
    assert scored[0] == scored[1] and scored[1].total.average_score is not None
