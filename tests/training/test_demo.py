"""The demo's training data: departments, the demo staff's records, and a course approved by a second person."""

import pytest
from wagtail.models import ModelLogEntry

from cms import roles
from tests import factories
from training import selectors
from training.demo import seed_training
from training.models import Course, Department, StaffProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_people_and_tutorials(tutorial_index):
    factories.make_user("learner", roles.STAFF_LEARNERS)
    factories.make_user("trainer", roles.TRAINING_MANAGERS)
    factories.make_user("moderator", roles.MODERATORS)
    payments = factories.make_tutorial(tutorial_index, title="查询社保缴费记录")
    pension = factories.make_tutorial(tutorial_index, title="养老金资格认证")
    return {"check-social-insurance-payments": payments, "pension-eligibility-check": pension}


def test_the_demo_learner_has_a_live_course_made_of_tutorials(demo_people_and_tutorials):
    counts = seed_training(tutorials_by_slug=demo_people_and_tutorials)
    assert counts == {"departments": 4, "staff": 2, "courses": 1}
    learner = StaffProfile.objects.get(user__username="learner")
    assert [d.name for d in learner.departments.all()] == ["便民服务中心"]
    [course] = selectors.learner_courses(user=learner.user)
    assert course.live and course.title == "帮群众用手机查社保"
    lessons = list(course.lessons.all())
    assert [lesson.tutorial for lesson in lessons[:2]] == list(demo_people_and_tutorials.values())
    assert "不要替群众输入密码" in lessons[2].body
    published = ModelLogEntry.objects.get(action="wagtail.publish", object_id=str(course.pk))
    assert published.user.username == "moderator" and course.live_revision.user.username == "trainer"
    trainer = StaffProfile.objects.get(user__username="trainer").user
    assert set(selectors.departments_for_manager(user=trainer)) == set(Department.objects.all())


def test_seeding_again_changes_nothing(demo_people_and_tutorials):
    seed_training(tutorials_by_slug=demo_people_and_tutorials)
    again = seed_training(tutorials_by_slug=demo_people_and_tutorials)
    assert again == {"departments": 4, "staff": 0, "courses": 0}
    assert Course.objects.count() == 1 and StaffProfile.objects.count() == 2 and Department.objects.count() == 4


def test_the_demo_course_ends_with_a_chinese_quiz_the_learner_can_pass(demo_people_and_tutorials):
    from tests.training.quiz_builders import right_answers_for
    from training import quiz_services
    from training.models import Question

    seed_training(tutorials_by_slug=demo_people_and_tutorials)
    seed_training(tutorials_by_slug=demo_people_and_tutorials)
    course = Course.objects.get()
    quiz = course.final_quiz
    assert quiz is not None and quiz.time_limit_minutes == 20
    assert Question.objects.count() == 7
    assert {q.type for q in Question.objects.all()} == {"single", "multiple", "true_false", "short_answer", "matching"}
    learner = StaffProfile.objects.get(user__username="learner").user
    attempt = quiz_services.quiz_attempt_start(user=learner, quiz=quiz)
    attempt = quiz_services.quiz_attempt_submit(user=learner, attempt=attempt, answers=right_answers_for(attempt))
    assert attempt.score == 100 and attempt.passed
