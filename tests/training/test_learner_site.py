import datetime
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cms.prefs import MODE_COOKIE
from tests import factories
from tests.training import builders
from training import services
from training.models import LessonProgress


@pytest.fixture
def learner(departments):
    profile = builders.staff("李明", departments["office"], number="A001")
    return profile


def login(client: Client, username: str, password: str):
    return client.post(reverse("training:login"), {"username": username, "password": password})


def test_the_sign_in_page_is_in_chinese_then_english(base):
    client = Client()
    html = client.get(reverse("training:login")).content.decode()
    assert "员工登录" in html and 'lang="zh-CN"' in html
    client.cookies["django_language"] = "en"
    html = client.get(reverse("training:login")).content.decode()
    assert "Staff sign-in" in html and 'lang="en"' in html


def test_signing_in_leads_to_my_learning(learner):
    client = Client()
    response = login(client, "A001", "pw")
    assert response.status_code == 302 and response["Location"] == reverse("training:my_learning")
    assert client.get(reverse("training:my_learning")).status_code == 200


def test_a_wrong_password_is_told_and_does_not_sign_in(learner):
    client = Client()
    response = login(client, "A001", "wrong")
    assert response.status_code == 200
    assert "callout--warning" in response.content.decode()
    assert client.get(reverse("training:my_learning")).status_code == 302


def test_repeated_failures_lock_the_sign_in_even_with_the_right_password(learner, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "A001", "wrong")
    response = login(client, "A001", "pw")
    assert response.status_code == 429
    assert client.get(reverse("training:my_learning")).status_code == 302


def test_my_learning_shows_progress_bars_without_inline_style_or_script(learner, departments):
    course = builders.course(
        "全县课程",
        departments=[departments["county"]],
        lessons=[{"title": "一", "body": "<p>1</p>"}, {"title": "二", "body": "<p>2</p>"}],
    )
    first = course.lessons.order_by("sort_order").first()
    services.lesson_mark_done(user=learner.user, lesson=first, how="marked_done")
    client = Client()
    client.force_login(learner.user)
    html = client.get(reverse("training:my_learning")).content.decode()
    assert re.search(r'<progress max="100" value="50"', html)
    assert "全县课程" in html and "2 课中已完成 1 课" in html
    assert " style=" not in html and "<script>" not in html


def test_continue_where_i_left_off(learner, departments):
    course = builders.course(
        "全县课程",
        departments=[departments["county"]],
        lessons=[{"title": "第一课", "body": "<p>1</p>"}, {"title": "第二课", "body": "<p>2</p>"}],
    )
    client = Client()
    client.force_login(learner.user)
    assert "data-continue" not in client.get(reverse("training:my_learning")).content.decode()
    second = course.lessons.order_by("sort_order").last()
    assert client.get(reverse("training:lesson", args=(second.pk,))).status_code == 200
    html = client.get(reverse("training:my_learning")).content.decode()
    assert f'href="{reverse("training:lesson", args=(second.pk,))}" data-continue' in html


def test_elder_mode_reaches_learner_pages(learner):
    client = Client()
    client.force_login(learner.user)
    client.cookies[MODE_COOKIE] = "elder"
    html = client.get(reverse("training:my_learning")).content.decode()
    assert 'class="elder elder--size-' in html


def test_a_signed_in_user_without_a_staff_record_is_told_so(base):
    client = Client()
    client.force_login(User.objects.create_user("visitor"))
    html = client.get(reverse("training:my_learning")).content.decode()
    assert "您的账号还不在员工名单中" in html


def test_a_lesson_links_its_live_tutorial_and_shows_its_text(learner, departments, tutorial_index):
    tutorial = factories.make_tutorial(tutorial_index, title="查询社保缴费记录")
    course = builders.course(
        "全县课程",
        departments=[departments["county"]],
        lessons=[{"title": "查社保", "tutorial": tutorial, "body": "<p>先看教程，再练习。</p>"}],
    )
    client = Client()
    client.force_login(learner.user)
    html = client.get(reverse("training:lesson", args=(course.lessons.get().pk,))).content.decode()
    assert tutorial.url in html and "查询社保缴费记录" in html and "先看教程，再练习。" in html
    assert "data-mark-done" in html


def test_one_learner_cannot_open_anothers_course_page(learner, departments):
    other = builders.course("河西课程", departments=[departments["other"]])
    client = Client()
    client.force_login(learner.user)
    assert client.get(reverse("training:course", args=(other.pk,))).status_code == 404


def test_a_video_lesson_page_reports_watching_and_resumes_where_it_stopped(learner, departments):
    video = factories.make_video(duration=100.0, subtitles="none")
    course = builders.course(
        "视频课程", departments=[departments["county"]], lessons=[{"title": "看视频", "video": video}]
    )
    lesson = course.lessons.get()
    services.lesson_open(user=learner.user, lesson=lesson)
    LessonProgress.objects.update(updated_at=timezone.now() - datetime.timedelta(minutes=1))
    services.lesson_record_watched(user=learner.user, lesson=lesson, ranges=[[0, 40]], position=40)
    client = Client()
    client.force_login(learner.user)
    html = client.get(reverse("training:lesson", args=(lesson.pk,))).content.decode()
    assert f'data-watched-url="{reverse("training:lesson_watched", args=(lesson.pk,))}"' in html
    assert f"{reverse('video_phone', args=(video.pk,))}#t=40" in html
    assert 'value="40" data-watched-progress' in html
    assert "data-mark-done" not in html
