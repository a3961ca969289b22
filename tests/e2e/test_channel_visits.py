"""A citizen arrives through a channel's tagged link in Chromium; the officer reads the chart in the admin."""

import pytest
from django.urls import reverse

from cms import roles
from publishing.models import Channel, ChannelVisit
from tests import factories
from tests.e2e.conftest import PHONE, watch_csp
from tests.e2e.test_moderation import admin_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tutorial(transactional_db):
    _, index = factories.make_site()
    Channel.objects.create(name="抖音", slug="douyin", kind=Channel.Kind.VERTICAL_VIDEO)
    return factories.make_tutorial(index, title="查询社保缴费记录", steps=3)


def counted(tutorial) -> tuple[int, int]:
    row = ChannelVisit.objects.get(tutorial=tutorial, channel__slug="douyin")
    return row.visits, row.helpful


@pytest.mark.parametrize("javascript", [True, False])
def test_a_visit_through_a_channel_and_its_helpful_answers(live_server, browser, tutorial, javascript):
    context = browser.new_context(**PHONE, locale="zh-CN", java_script_enabled=javascript)
    violations = watch_csp(context)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{tutorial.url}?ch=douyin")
        assert counted(tutorial) == (1, 0)
        # The only cookie is the feedback forms' CSRF token, which the page sets whatever the link.
        assert {cookie["name"] for cookie in context.cookies()} <= {"csrftoken"}
        if javascript:
            page.locator("#step-1 button[name=helpful][value=yes]").click()
            page.locator("#step-1 .feedback__thanks").wait_for()
        else:
            with page.expect_navigation():
                page.locator("#step-1 button[name=helpful][value=yes]").click()
            assert "ch=" not in page.url and "via=douyin" in page.url
        # The next answer on the same page still counts for the channel, and no further visit is counted.
        if javascript:
            page.locator("[data-show-all]").click()  # one step at a time with JavaScript: open them all
            page.locator("#step-2 button[name=helpful][value=yes]").click()
            page.locator("#step-2 .feedback__thanks").wait_for()
        else:
            with page.expect_navigation():
                page.locator("#step-2 button[name=helpful][value=yes]").click()
        assert counted(tutorial) == (1, 2)
        assert {cookie["name"] for cookie in context.cookies()} <= {"csrftoken"}
    finally:
        context.close()
    assert violations == []


def test_the_officer_reads_the_chart_without_csp_violations(live_server, browser, tutorial):
    from django.utils import timezone

    ChannelVisit.objects.create(
        tutorial=tutorial, channel=Channel.objects.get(slug="douyin"), day=timezone.localdate(), visits=12, helpful=4
    )
    factories.make_user("publicity", roles.PUBLICITY_OFFICERS)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    violations = watch_csp(context)
    page = context.new_page()
    try:
        admin_login(page, live_server.url, "publicity")
        page.goto(f"{live_server.url}{reverse('publishing_visits_report')}")
        with page.expect_navigation():
            page.get_by_role("link", name=tutorial.title).first.click()
        assert page.locator("svg.visits-chart polyline").count() == 1
        assert page.locator("tr[data-channel=douyin] [data-visits-count]").inner_text() == "12"
        assert page.locator("tr[data-channel=douyin] [data-helpful-count]").inner_text() == "4"
        # The chart and the table sit side by side on a desktop screen (the stylesheet loaded).
        chart = page.locator(".visits-report__chart").bounding_box()
        table = page.locator(".visits-report__table").bounding_box()
        assert table["x"] >= chart["x"] + chart["width"] - 1
    finally:
        context.close()
    assert violations == []
