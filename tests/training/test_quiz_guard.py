import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cms import roles
from privacy.models import Finding
from privacy.services import object_scan
from tests import factories
from tests.training import builders, quiz_builders
from training.models import Course
from training.quiz import Choice, SingleChoice


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def risky_course(departments):
    category, rows = quiz_builders.bank()
    quiz_builders.add(
        SingleChoice(
            text="群众留下的电话怎么处理？",
            choices=(Choice(text="打 13812345678 回访", weight=100), Choice(text="不处理")),
        ),
        category,
    )
    quiz = quiz_builders.quiz(category, count=3)
    boss = builders.manager("王主任", departments["east"])
    course = builders.course("街道课程", departments=[departments["east"]], live=False)
    course.final_quiz = quiz
    course.save()
    course.save_revision(user=boss.user)
    return course, boss


def test_a_question_with_a_mobile_number_blocks_course_approval(departments):
    course, boss = risky_course(departments)
    message = course.get_latest_revision_as_object().privacy_blocking_message()
    assert "138****5678" in message and "13812345678" not in message
    moderator = factories.make_user("moderator", roles.MODERATORS)
    course.get_workflow().start(course, boss.user)
    course.refresh_from_db()
    task = course.current_workflow_task_state.task.specific
    assert "approve" not in [name for name, *_ in task.get_actions(course, moderator)]
    with pytest.raises(ValidationError, match="Personal information was found"):
        course.get_latest_revision().publish(user=moderator)
    assert not Course.objects.get(pk=course.pk).live


def test_the_scan_records_a_finding_and_clean_text_passes(departments):
    course, _ = risky_course(departments)
    assert len(object_scan(obj=course.get_latest_revision_as_object())) == 1
    finding = Finding.objects.get(object_id=course.pk)
    assert finding.masked == "138****5678" and finding.status == Finding.Status.OPEN
    quiz = course.final_quiz
    for question in quiz.draws.get().category.questions.all():
        if "13812345678" in str(question.data):
            question.data["choices"][0]["text"] = "打登记的电话回访"
            question.save()
    assert course.get_latest_revision_as_object().privacy_blocking_message() == ""
    assert object_scan(obj=course.get_latest_revision_as_object()) == []
    course.get_latest_revision().publish()
    assert Course.objects.get(pk=course.pk).live


def test_a_lesson_text_with_a_mobile_number_blocks_publishing(departments):
    course = builders.course(
        "街道课程",
        departments=[departments["east"]],
        lessons=[{"title": "一", "body": "<p>电话13812345678</p>"}],
        live=False,
    )
    with pytest.raises(ValidationError):
        course.save_revision(user=None).publish()


def test_saving_a_course_or_editing_its_question_queues_a_scan(departments, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course, _ = risky_course(departments)
    assert Finding.objects.filter(object_id=course.pk, status=Finding.Status.OPEN).count() == 1
    question = next(q for q in course.final_quiz.draws.get().category.questions.all() if "1381234" in str(q.data))
    question.data["choices"][0]["text"] = "打登记的电话回访"
    with django_capture_on_commit_callbacks(execute=True):
        question.save()
    assert not Finding.objects.filter(object_id=course.pk, status=Finding.Status.OPEN).exists()
