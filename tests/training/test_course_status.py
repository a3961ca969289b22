"""The per (person, course) status rows follow every change the dashboards depend on, and the rebuild command
writes the same rows from the source tables."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.training import builders, quiz_builders
from training import course_status, dashboards, quiz_services, services
from training.models import Attempt, Course, CourseStatus, DeadlineOverride, LessonProgress, Quiz

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=3)
FUTURE = TODAY + datetime.timedelta(days=30)

TWO_LESSONS = [{"title": "第一课", "body": "<p>一</p>"}, {"title": "第二课", "body": "<p>二</p>"}]


def status(person, course) -> CourseStatus | None:
    return CourseStatus.objects.filter(person=person, course=course).first()


def rows() -> list[tuple]:
    fields = ("person_id", "user_id", "course_id", "direct", "required_items", "completed_items", "complete")
    return sorted(CourseStatus.objects.values_list(*fields, "deadline", "score"))


def republish(course) -> None:
    course.save()
    course.save_revision(user=None).publish()
    course.refresh_from_db()


@pytest.fixture
def world(departments, django_capture_on_commit_callbacks):
    d = departments
    with django_capture_on_commit_callbacks(execute=True):
        li = builders.staff("李明", d["office"])
        zhang = builders.staff("张强", d["west"])
        chen = builders.staff("陈红", d["other"])
        county = builders.course("全县课程", departments=[d["county"]], lessons=TWO_LESSONS, deadline=PAST)
        office = builders.course("中心课程", departments=[d["office"]], deadline=FUTURE)
        boss = builders.manager("刘主任", d["county"])
    return {"d": d, "li": li, "zhang": zhang, "chen": chen, "county": county, "office": office, "boss": boss}


def test_publishing_assigns_rows_through_the_department_tree(world):
    county, office = world["county"], world["office"]
    row = status(world["li"], county)
    assert (row.required_items, row.completed_items, row.complete, row.deadline) == (2, 0, False, PAST)
    assert status(world["li"], office) is not None
    assert status(world["zhang"], office) is None  # west is not below the office
    assert status(world["chen"], county) is None  # another county


def test_a_completed_lesson_counts_and_the_last_one_completes(world):
    li, county = world["li"], world["county"]
    first, second = county.lessons.order_by("sort_order")
    services.lesson_mark_done(user=li.user, lesson=first, how=LessonProgress.CompletedBy.MARKED_DONE)
    row = status(li, county)
    assert (row.completed_items, row.complete, row.completed_at) == (1, False, None)
    services.lesson_mark_done(user=li.user, lesson=second, how=LessonProgress.CompletedBy.READ_TO_END)
    row = status(li, county)
    assert (row.completed_items, row.complete) == (2, True) and row.completed_at is not None
    board = dashboards.completion_dashboard(user=world["boss"].user, course_id=county.pk, today=TODAY)
    assert (board.total.assigned, board.total.completed, board.total.overdue) == (3, 1, 2)


def test_a_passed_final_quiz_completes_the_course_with_its_score(departments, django_capture_on_commit_callbacks):
    d = departments
    category, questions = quiz_builders.bank()
    quiz = quiz_builders.quiz(category, count=5)
    with django_capture_on_commit_callbacks(execute=True):
        li = builders.staff("李明", d["office"])
        course = quiz_builders.course_with_quiz(d, quiz, final=True)
    services.lesson_mark_done(user=li.user, lesson=course.lessons.get(), how=LessonProgress.CompletedBy.MARKED_DONE)
    assert status(li, course).complete is False  # the final quiz is still to pass
    attempt = quiz_services.quiz_attempt_start(user=li.user, quiz=quiz)
    quiz_services.quiz_attempt_submit(user=li.user, attempt=attempt, answers=quiz_builders.right_answers_for(attempt))
    row = status(li, course)
    assert row.complete is True and row.score == Decimal("100.00")


def test_a_lesson_quiz_must_be_passed_for_its_lesson_to_count(departments, django_capture_on_commit_callbacks):
    d = departments
    category, questions = quiz_builders.bank()
    quiz = quiz_builders.quiz(category, count=5)
    with django_capture_on_commit_callbacks(execute=True):
        li = builders.staff("李明", d["office"])
        course = quiz_builders.course_with_quiz(d, quiz)
    services.lesson_mark_done(user=li.user, lesson=course.lessons.get(), how=LessonProgress.CompletedBy.MARKED_DONE)
    assert status(li, course).completed_items == 0
    attempt = quiz_services.quiz_attempt_start(user=li.user, quiz=quiz)
    quiz_services.quiz_attempt_submit(user=li.user, attempt=attempt, answers={})
    assert status(li, course).completed_items == 0 and status(li, course).score == Decimal("0.00")
    attempt = quiz_services.quiz_attempt_start(user=li.user, quiz=quiz)
    quiz_services.quiz_attempt_submit(user=li.user, attempt=attempt, answers=quiz_builders.right_answers_for(attempt))
    assert (status(li, course).completed_items, status(li, course).complete) == (1, True)


def test_moving_a_person_to_another_department_moves_their_rows(world, django_capture_on_commit_callbacks):
    zhang, d = world["zhang"], world["d"]
    assert status(zhang, world["county"]) is not None and status(zhang, world["office"]) is None
    with django_capture_on_commit_callbacks(execute=True):
        zhang.departments.set([d["office"]])
    assert status(zhang, world["office"]) is not None
    with django_capture_on_commit_callbacks(execute=True):
        zhang.departments.set([d["other"]])
    assert status(zhang, world["county"]) is None and status(zhang, world["office"]) is None
    with django_capture_on_commit_callbacks(execute=True):
        d["west"].staff.add(zhang)
    assert status(zhang, world["county"]) is not None


def test_changing_a_courses_audience_adds_and_removes_rows(world, django_capture_on_commit_callbacks):
    office, d = world["office"], world["d"]
    with django_capture_on_commit_callbacks(execute=True):
        office.audience_departments.set([d["west"]])
        office.audience_people.set([world["chen"]])
        republish(office)
    assert status(world["li"], office) is None
    assert status(world["zhang"], office) is not None and status(world["zhang"], office).direct is False
    assert status(world["chen"], office).direct is True


def test_a_personal_deadline_and_the_passing_of_time(world, django_capture_on_commit_callbacks):
    county, li = world["county"], world["li"]
    with django_capture_on_commit_callbacks(execute=True):
        county.deadline_overrides.add(DeadlineOverride(person=li, deadline=FUTURE))
        republish(county)
    assert status(li, county).deadline == FUTURE
    boss = world["boss"].user
    now = dashboards.completion_dashboard(user=boss, course_id=county.pk, today=TODAY)
    later = dashboards.completion_dashboard(user=boss, course_id=county.pk, today=FUTURE + datetime.timedelta(days=1))
    assert (now.total.overdue, later.total.overdue) == (2, 3)


def test_the_rebuild_command_writes_the_same_rows(world, capsys):
    li, county = world["li"], world["county"]
    services.lesson_mark_done(user=li.user, lesson=county.lessons.first(), how=LessonProgress.CompletedBy.MARKED_DONE)
    DeadlineOverride.objects.create(course=county, person=world["zhang"], deadline=FUTURE)
    LessonProgress.objects.create(
        user=world["zhang"].user, lesson=county.lessons.first(), status=LessonProgress.Status.COMPLETE
    )
    call_command("training_status_rebuild")
    kept = rows()
    assert any(row[2] == county.pk and row[7] == FUTURE for row in kept)
    CourseStatus.objects.all().delete()
    call_command("training_status_rebuild")
    assert rows() == kept and f"{len(kept)}" in capsys.readouterr().out


def full_rows() -> list[tuple]:
    fields = ("person_id", "user_id", "course_id", "direct", "required_items", "completed_items", "complete")
    return sorted(CourseStatus.objects.values_list(*fields, "deadline", "score", "completed_at"))


@pytest.fixture
def graded(world):
    d, li, zhang, chen = world["d"], world["li"], world["zhang"], world["chen"]
    category, _ = quiz_builders.bank()
    high = quiz_builders.quiz(category, title="最高", pass_mark=60, grading_method="highest")
    last = quiz_builders.quiz(category, title="最后", grading_method="last")
    average = quiz_builders.quiz(category, title="平均", pass_mark=70, grading_method="average")
    first = quiz_builders.quiz(category, title="首次", pass_mark=50)
    Quiz.objects.filter(pk=first.pk).update(grading_method="first")
    a = builders.course(
        "甲课程",
        departments=[d["county"]],
        deadline=PAST,
        lessons=[
            {"title": "一", "body": "<p>一</p>", "quiz": high},
            {"title": "二", "body": "<p>二</p>"},
            {"title": "三", "body": "<p>三</p>", "quiz": last, "required": False},
        ],
    )
    Course.objects.filter(pk=a.pk).update(final_quiz=average)
    b = builders.course(
        "乙课程",
        departments=[d["office"]],
        people=[chen, li],
        deadline=FUTURE,
        lessons=[
            {"title": "一", "body": "<p>一</p>", "quiz": first},
            {"title": "二", "body": "<p>二</p>", "quiz": high},
            {"title": "三", "body": "<p>三</p>", "quiz": first},
        ],
    )
    DeadlineOverride.objects.create(course=a, person=zhang, deadline=FUTURE, sort_order=1)
    DeadlineOverride.objects.create(course=a, person=zhang, deadline=TODAY, sort_order=0)
    at = timezone.now() - datetime.timedelta(days=1)

    def tries(profile, quiz, *scores, state=Attempt.State.SUBMITTED):
        for number, score in enumerate(scores, start=1):
            Attempt.objects.create(
                user=profile.user, quiz=quiz, number=number, state=state, score=score,
                submitted_at=at + datetime.timedelta(minutes=number),
            )  # fmt: skip

    tries(li, high, Decimal("50"), Decimal("80"))
    Attempt.objects.create(user=li.user, quiz=high, number=3, score=Decimal("100"))  # in progress: not counted
    tries(li, average, Decimal("90"), Decimal("55"))
    tries(li, last, Decimal("95"), Decimal("33.33"))
    tries(li, first, Decimal("61"), Decimal("20"))
    tries(zhang, high, None, state=Attempt.State.EXPIRED)
    tries(zhang, average, Decimal("33.33"), Decimal("33.33"), Decimal("33.34"))
    tries(chen, first, Decimal("40"), Decimal("99"))
    for profile, course, count in ((li, a, 3), (li, b, 3), (zhang, a, 2), (chen, b, 3)):
        for lesson in course.lessons.order_by("sort_order")[:count]:
            LessonProgress.objects.create(
                user=profile.user, lesson=lesson, status=LessonProgress.Status.COMPLETE,
                completed_at=at - datetime.timedelta(hours=lesson.sort_order),
            )  # fmt: skip
    return {**world, "a": a, "b": b}


def test_the_portable_refresh_writes_the_same_rows_as_the_sql(graded):
    course_status.course_status_refresh()
    expected = full_rows()
    li, a = graded["li"], graded["a"]
    assert status(li, a).complete is True and status(li, a).score == Decimal("61.94")
    assert status(graded["zhang"], a).deadline == TODAY and status(graded["chen"], graded["b"]).direct is True
    CourseStatus.objects.all().delete()
    course_status.course_status_refresh_portable()
    assert full_rows() == expected


def test_the_portable_refresh_updates_removes_and_is_idempotent(graded):
    course_status.course_status_refresh()
    expected = full_rows()
    li, chen, a = graded["li"], graded["chen"], graded["a"]
    CourseStatus.objects.filter(person=li, course=a).update(score=1, complete=False, completed_at=None)
    CourseStatus.objects.create(person=chen, user=chen.user, course=a)  # chen is not assigned course 甲
    course_status.course_status_refresh_portable(person_ids=[li.pk, chen.pk], course_ids=[a.pk])
    assert full_rows() == expected
    stamps = sorted(CourseStatus.objects.values_list("pk", "updated_at"))
    course_status.course_status_refresh_portable()
    assert sorted(CourseStatus.objects.values_list("pk", "updated_at")) == stamps
    course_status.course_status_refresh()
    assert full_rows() == expected
