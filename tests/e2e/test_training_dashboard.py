"""The training dashboards in Chromium under the admin's Content-Security-Policy: bars drawn as SVG beside the
table, drilling down into a department, and the overdue list's reminder page."""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from tests.e2e.conftest import watch_csp
from tests.e2e.test_moderation import DESKTOP, admin_login
from tests.training import builders
from training.course_status import course_status_rebuild
from training.models import LessonProgress

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def manager(transactional_db):
    factories.ensure_base_data()
    d = builders.tree()
    learners = [builders.staff(name, d["office"]) for name in ("李明", "赵丽")] + [builders.staff("张强", d["west"])]
    course = builders.course(
        "全县课程", departments=[d["county"]], deadline=datetime.date.today() - datetime.timedelta(days=1)
    )
    LessonProgress.objects.create(
        user=learners[0].user, lesson=course.lessons.first(), status=LessonProgress.Status.COMPLETE
    )
    builders.course("河西课程", departments=[d["other"]])
    course_status_rebuild()
    return builders.manager("刘主任", d["county"]), d


def test_dashboard_pages_draw_bars_without_csp_violations(live_server, browser, manager):
    boss, d = manager
    context = browser.new_context(**DESKTOP, locale="zh-CN")
    violations = watch_csp(context)
    page = context.new_page()
    try:
        admin_login(page, live_server.url, boss.user.username)
        page.goto(f"{live_server.url}{reverse('training_dashboard_departments')}")
        assert page.locator("svg.training-chart rect.training-chart__done").count() >= 1
        assert "城关县" in page.locator("table.listing").inner_text()
        with page.expect_navigation():
            page.locator("svg.training-chart a").first.click()
        assert page.locator("svg.training-chart text", has_text="东关街道").count() == 1
        assert "河西县" not in page.content()
        page.goto(f"{live_server.url}{reverse('training_dashboard_courses')}")
        assert page.locator("svg.training-chart rect.training-chart__overdue").count() == 1
        assert "河西课程" not in page.content()
        page.goto(f"{live_server.url}{reverse('training_overdue')}")
        assert "张强" in page.locator("table.listing").inner_text()
        page.goto(f"{live_server.url}{reverse('training_send_reminders')}")
        with page.expect_navigation():
            page.get_by_role("button", name="发送提醒").click()
        assert page.url.startswith(f"{live_server.url}{reverse('training_overdue')}")
        assert "正在向" in page.locator(".messages").inner_text()
        assert violations == []
    finally:
        context.close()
