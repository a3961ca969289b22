import datetime

from django.contrib.auth.models import User

from tests import factories
from tests.training import builders
from training import selectors, services
from training.models import DeadlineOverride, Department, LessonProgress


def test_subtree_and_ancestors(departments):
    d = departments
    assert selectors.department_subtree_ids(root_ids={d["county"].pk}) == {
        d["county"].pk,
        d["east"].pk,
        d["office"].pk,
        d["west"].pk,
    }
    assert selectors.department_ancestor_ids(ids={d["office"].pk}) == {d["office"].pk, d["east"].pk, d["county"].pk}
    assert selectors.department_paths()[d["office"].pk] == "城关县/东关街道/便民服务中心"


def test_a_manager_sees_their_departments_and_those_below_only(departments):
    d = departments
    boss = builders.manager("王主任", d["east"])
    assert set(selectors.departments_for_manager(user=boss.user)) == {d["east"], d["office"]}
    superuser = factories.make_user("root", superuser=True)
    assert selectors.departments_for_manager(user=superuser).count() == Department.objects.count()
    nobody = factories.make_user("no-profile")
    assert not selectors.departments_for_manager(user=nobody).exists()


def test_a_manager_sees_staff_of_their_departments_only(departments):
    d = departments
    boss = builders.manager("王主任", d["east"])
    inside = builders.staff("李明", d["office"])
    both = builders.staff("赵丽", d["west"], d["office"])
    outside = builders.staff("张强", d["west"])
    elsewhere = builders.staff("陈红", d["other"])
    visible = set(selectors.staff_for_manager(user=boss.user))
    assert {inside, both, boss} <= visible
    assert outside not in visible and elsewhere not in visible
    assert selectors.staff_for_manager(user=boss.user).filter(pk=both.pk).count() == 1


def test_courses_a_manager_sees(departments):
    d = departments
    boss = builders.manager("王主任", d["east"])
    county_wide = builders.course("全县课程", departments=[d["county"]])
    own = builders.course("街道课程", departments=[d["office"]])
    other = builders.course("河西课程", departments=[d["other"]])
    unassigned = builders.course("新课程")
    visible = set(selectors.courses_for_manager(user=boss.user))
    assert {county_wide, own, unassigned} <= visible
    assert other not in visible


def test_a_learner_takes_courses_of_their_departments_and_those_above(departments):
    d = departments
    learner = builders.staff("李明", d["office"])
    county_wide = builders.course("全县课程", departments=[d["county"]])
    office_only = builders.course("中心课程", departments=[d["office"]])
    west_only = builders.course("西关课程", departments=[d["west"]])
    named = builders.course("点名课程", people=[learner])
    draft = builders.course("未审核课程", departments=[d["county"]], live=False)
    courses = set(selectors.learner_courses(user=learner.user))
    assert courses == {county_wide, office_only, named}
    assert west_only not in courses and draft not in courses


def test_enrolment_follows_a_move_between_departments(departments):
    d = departments
    learner = builders.staff("李明", d["office"])
    west_only = builders.course("西关课程", departments=[d["west"]])
    assert west_only not in selectors.learner_courses(user=learner.user)
    learner.departments.set([d["west"]])
    assert west_only in selectors.learner_courses(user=learner.user)
    # a department moved under another takes its people with it
    d["office"].parent = d["west"]
    d["office"].save()
    newcomer = builders.staff("周平", d["office"])
    assert west_only in selectors.learner_courses(user=newcomer.user)


def test_a_user_without_a_staff_profile_has_no_courses(departments):
    builders.course("全县课程", departments=[departments["county"]])
    assert not selectors.learner_courses(user=User.objects.create_user("visitor")).exists()


def test_deadline_override_for_one_person(departments):
    d = departments
    learner = builders.staff("李明", d["office"])
    other = builders.staff("赵丽", d["office"])
    course = builders.course("全县课程", departments=[d["county"]], deadline=datetime.date(2026, 12, 31))
    DeadlineOverride.objects.create(course=course, person=learner, deadline=datetime.date(2027, 1, 15))
    assert selectors.learner_deadline(course=course, profile=learner) == datetime.date(2027, 1, 15)
    assert selectors.learner_deadline(course=course, profile=other) == datetime.date(2026, 12, 31)


def test_course_progress_counts_required_lessons_and_continue_points_at_the_last_touched(departments):
    d = departments
    learner = builders.staff("李明", d["office"])
    course = builders.course(
        "全县课程",
        departments=[d["county"]],
        lessons=[
            {"title": "一", "body": "<p>1</p>"},
            {"title": "二", "body": "<p>2</p>"},
            {"title": "选修", "body": "<p>3</p>", "required": False},
        ],
    )
    one, two, optional = course.lessons.order_by("sort_order")
    progress = selectors.learner_course_progress(user=learner.user, course=course)
    assert (progress.done, progress.total, progress.percent, progress.complete) == (0, 2, 0, False)
    services.lesson_open(user=learner.user, lesson=two)
    services.lesson_mark_done(user=learner.user, lesson=one, how=LessonProgress.CompletedBy.MARKED_DONE)
    assert selectors.learner_continue(user=learner.user) == two
    services.lesson_mark_done(user=learner.user, lesson=two, how=LessonProgress.CompletedBy.READ_TO_END)
    progress = selectors.learner_course_progress(user=learner.user, course=course)
    assert (progress.done, progress.total, progress.percent, progress.complete) == (2, 2, 100, True)
    assert progress.next_lesson == optional
    assert selectors.learner_continue(user=learner.user) is None


def test_a_learner_sees_only_their_own_progress(departments):
    d = departments
    me = builders.staff("李明", d["office"])
    you = builders.staff("赵丽", d["office"])
    course = builders.course("全县课程", departments=[d["county"]])
    lesson = course.lessons.get()
    services.lesson_mark_done(user=you.user, lesson=lesson, how=LessonProgress.CompletedBy.MARKED_DONE)
    assert selectors.learner_course_progress(user=me.user, course=course).done == 0
    assert selectors.learner_continue(user=me.user) is None
