"""A learner on a phone: sign in, open the assigned course, mark a text lesson done, see the progress bar move."""

import pytest
from django.urls import reverse

from tests import factories
from tests.e2e.conftest import PHONE, _fail_on, watch_csp
from tests.training import builders
from training.models import LessonProgress

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def assigned(transactional_db):
    factories.ensure_base_data()
    tree = builders.tree()
    learner = builders.staff("李明", tree["office"], number="A001")
    course = builders.course(
        "社保业务入门",
        departments=[tree["county"]],
        lessons=[
            {"title": "认识社保卡", "body": "<p>社保卡可以看病买药。</p>"},
            {"title": "查缴费记录", "body": "<p>打开应用。</p>"},
        ],
    )
    return learner, course


def test_a_learner_marks_a_lesson_done_and_the_progress_bar_moves(live_server, browser, assigned):
    learner, course = assigned
    context = browser.new_context(**PHONE, locale="zh-CN")
    violations = watch_csp(context)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{reverse('training:login')}")
        page.fill("#id_username", "A001")
        page.fill("#id_password", "pw")
        page.locator("form.learn-form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}{reverse('training:my_learning')}")
        bar = page.locator(f"[data-course='{course.pk}'] progress")
        assert bar.get_attribute("value") == "0"
        page.get_by_role("link", name="社保业务入门").click()
        page.get_by_role("link", name="认识社保卡").click()
        page.wait_for_selector("[data-mark-done]")
        course_bar = page.locator("[data-course-progress]")
        assert course_bar.get_attribute("value") == "0"
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"the lesson page scrolls sideways on a phone ({width}px)"
        page.evaluate("() => { window.stillThisPage = true; }")
        page.locator("[data-mark-done]").click()
        page.wait_for_function("() => document.querySelector('[data-course-progress]').value === 50")
        assert "您已学完这一课" in page.locator("[data-lesson-status]").inner_text()
        assert page.locator("[data-course-count]").inner_text() == "2 课中已完成 1 课"
        assert page.locator("[data-done-form]").is_hidden()
        # The module posted in the background: no page load happened (the form alone would have reloaded it).
        assert page.evaluate("() => window.stillThisPage === true")
        assert LessonProgress.objects.get(user=learner.user).completed_by == "marked_done"
        page.goto(f"{live_server.url}{reverse('training:my_learning')}")
        assert page.locator(f"[data-course='{course.pk}'] progress").get_attribute("value") == "50"
    finally:
        context.close()
    _fail_on(violations)
