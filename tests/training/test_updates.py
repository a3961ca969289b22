""" "Updated since you learned it": the step diff (pure), what learners see, re-reading, and the managers' report."""

import copy
import json

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.training import builders
from training import services
from training.models import LessonProgress
from training.tutorial_changes import Step, step_changes, steps_from_stream


def _step(id, title="标题", text="说明", rest=""):
    return Step(id=id, number=0, title=title, text=text, rest=rest)


def test_the_diff_finds_added_removed_and_edited_steps_by_block_id():
    before = [_step("a"), _step("b"), _step("c"), _step("d")]
    after = [_step("a"), _step("b", text="新说明"), _step("d", rest='{"tip": 1}'), _step("e", title="新步骤")]
    changes = step_changes(before, after)
    assert [step.id for step in changes.added] == ["e"]
    assert [step.id for step in changes.removed] == ["c"]
    assert [step.id for step in changes.edited] == ["b", "d"]
    assert changes and changes.count == 4


def test_the_same_steps_are_no_change_and_a_title_edit_is_one():
    steps = [_step("a"), _step("b")]
    assert not step_changes(steps, list(steps))
    assert [s.id for s in step_changes(steps, [_step("a", title="改了"), _step("b")]).edited] == ["a"]


def test_steps_are_read_from_a_revisions_json_and_number_in_order():
    raw = json.dumps(
        [
            {"type": "step", "id": "x1", "value": {"title": "打开", "text": "点开应用", "tip": {"text": ""}}},
            {"type": "other", "id": "x2", "value": {}},
            {"type": "step", "id": "x3", "value": {"title": "登录", "text": "输入手机号"}},
        ]
    )
    steps = steps_from_stream(raw)
    assert [(s.id, s.number, s.title) for s in steps] == [("x1", 1, "打开"), ("x3", 2, "登录")]
    assert steps_from_stream("not json") == [] and steps_from_stream(None) == []


@pytest.fixture
def setup(departments, tutorial_index):
    tutorial = factories.make_tutorial(tutorial_index, title="查询社保缴费记录", steps=3)
    learner = builders.staff("李明", departments["office"], number="A001")
    other = builders.staff("王芳", departments["office"], number="A002")
    manager = builders.manager("赵主任", departments["east"])
    far_manager = builders.manager("钱主任", departments["other"])
    course = builders.course(
        "社保业务入门",
        departments=[departments["county"]],
        lessons=[{"title": "查缴费", "tutorial": tutorial}, {"title": "第二课", "body": "<p>二</p>"}],
    )
    lesson = course.lessons.get(title="查缴费")
    return {
        "tutorial": tutorial,
        "learner": learner,
        "other": other,
        "manager": manager,
        "far_manager": far_manager,
        "course": course,
        "lesson": lesson,
    }


def _republish(tutorial, change):
    page = type(tutorial).objects.get(pk=tutorial.pk)
    raw = copy.deepcopy(list(page.steps.raw_data))
    change(raw)
    page.steps = raw
    page.save_revision(user=None).publish()
    return page


def _edit_remove_add(raw):
    raw[1]["value"]["text"] = "先登录，再点“缴费记录”。"
    del raw[2]
    added = copy.deepcopy(raw[0])
    added["id"] = "new-step-id"
    added["value"]["title"] = "第四步：下载凭证"
    raw.append(added)


def _client(profile):
    client = Client()
    client.force_login(profile.user)
    return client


def test_completing_records_the_tutorials_live_revision(setup):
    progress = services.lesson_mark_done(user=setup["learner"].user, lesson=setup["lesson"], how="marked_done")
    assert progress.tutorial_revision_id == setup["tutorial"].live_revision_id is not None


def test_a_learner_who_completed_it_sees_what_changed_until_re_reading(setup):
    user = setup["learner"].user
    services.lesson_mark_done(user=user, lesson=setup["lesson"], how="marked_done")
    client = _client(setup["learner"])
    lesson_url = reverse("training:lesson", args=[setup["lesson"].pk])
    assert "data-updated" not in client.get(lesson_url).content.decode()

    _republish(setup["tutorial"], _edit_remove_add)

    html = client.get(lesson_url).content.decode()
    assert "data-updated" in html
    assert html.count('data-change="added"') == 1 and "第四步：下载凭证" in html
    assert html.count('data-change="removed"') == 1 and "第3步：打开应用" in html
    assert html.count('data-change="edited"') == 1 and "第2步：打开应用" in html
    course_html = client.get(reverse("training:course", args=[setup["course"].pk])).content.decode()
    assert course_html.count("data-lesson-updated") == 1
    assert "data-course-updated" in client.get(reverse("training:my_learning")).content.decode()
    # Someone who never completed the lesson has nothing to re-read.
    assert "data-updated" not in _client(setup["other"]).get(lesson_url).content.decode()

    response = client.post(reverse("training:lesson_reread", args=[setup["lesson"].pk]))
    assert response.status_code == 302
    assert "data-updated" not in client.get(lesson_url).content.decode()
    assert "data-course-updated" not in client.get(reverse("training:my_learning")).content.decode()
    progress = LessonProgress.objects.get(user=user, lesson=setup["lesson"])
    setup["tutorial"].refresh_from_db()
    assert progress.tutorial_revision_id == setup["tutorial"].live_revision_id


def test_a_republish_without_step_changes_is_not_news(setup):
    services.lesson_mark_done(user=setup["learner"].user, lesson=setup["lesson"], how="marked_done")
    _republish(setup["tutorial"], lambda raw: None)
    html = _client(setup["learner"]).get(reverse("training:lesson", args=[setup["lesson"].pk])).content.decode()
    assert "data-updated" not in html


def test_re_reading_an_unfinished_lesson_is_refused(setup):
    response = _client(setup["learner"]).post(reverse("training:lesson_reread", args=[setup["lesson"].pk]))
    assert response.status_code == 400
    assert _client(setup["learner"]).post(reverse("training:lesson_reread", args=[999999])).status_code == 404


def test_managers_see_who_has_not_re_read_it_in_their_departments_only(setup):
    services.lesson_mark_done(user=setup["learner"].user, lesson=setup["lesson"], how="marked_done")
    services.lesson_mark_done(user=setup["other"].user, lesson=setup["lesson"], how="marked_done")
    _republish(setup["tutorial"], _edit_remove_add)
    services.lesson_reread(user=setup["other"].user, lesson=setup["lesson"])

    report = reverse("training_not_reread")
    html = _client(setup["manager"]).get(report).content.decode()
    assert "李明" in html and "王芳" not in html and "新增 1 步，删除 1 步，修改 1 步" in html
    assert "李明" not in _client(setup["far_manager"]).get(report).content.decode()
    other_course = builders.course("另一门课", departments=[setup["learner"].departments.first()])
    assert "李明" not in _client(setup["manager"]).get(f"{report}?course={other_course.pk}").content.decode()
    assert "李明" in _client(setup["manager"]).get(f"{report}?course={setup['course'].pk}").content.decode()
    far_course = builders.course("河西课程", departments=[setup["far_manager"].departments.first()])
    assert "李明" not in _client(setup["manager"]).get(f"{report}?course={far_course.pk}").content.decode()
    export = _client(setup["manager"]).get(report + "?export=csv")
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "李明" in text and "A001" in text and "王芳" not in text
    xlsx = _client(setup["manager"]).get(report + "?export=xlsx")
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"
    assert _client(setup["learner"]).get(report).status_code in (302, 403)
