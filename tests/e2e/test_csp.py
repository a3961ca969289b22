"""The Content-Security-Policy in a real browser: the watcher sees violations, and the admin works under its policy."""

import pytest
from django.urls import reverse

from tests import factories
from tests.e2e.conftest import watch_csp

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1366, "height": 900}}


def test_the_watcher_reports_a_blocked_inline_script_and_style(live_server, browser):
    context = browser.new_context()
    violations = watch_csp(context)
    page = context.new_page()
    page.route(
        f"{live_server.url}/csp-probe/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": "script-src 'self'; style-src 'self'"},
            body='<!DOCTYPE html><p style="color: red">x</p><script>document.title = "ran"</script>',
        ),
    )
    page.goto(f"{live_server.url}/csp-probe/")
    page.wait_for_timeout(300)
    assert page.title() != "ran"
    context.close()
    assert any("script-src" in v for v in violations) and any("style-src" in v for v in violations), violations


def test_admin_pages_work_under_the_admin_policy(live_server, browser):
    _home, index = factories.make_site()
    tutorial = factories.make_tutorial(index)
    factories.make_user("boss", superuser=True)
    context = browser.new_context(**DESKTOP, locale="zh-CN")
    violations = watch_csp(context)
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('wagtailadmin_login')}")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "pw")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}{reverse('wagtailadmin_home')}")
    for url in (
        reverse("wagtailadmin_explore", args=(index.pk,)),
        reverse("wagtailadmin_pages:edit", args=(tutorial.pk,)),
        reverse("wagtailadmin_pages:add", args=("tutorials", "tutorialpage", index.pk)),
        reverse("wagtailimages:index"),
        reverse("wagtailimages:add"),
        reverse("wagtailusers_users:index"),
        reverse("step_feedback_report"),
    ):
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
    # The page editor's block chooser and side panels run scripts that set styles.
    page.goto(f"{live_server.url}{reverse('wagtailadmin_pages:edit', args=(tutorial.pk,))}")
    page.wait_for_load_state("networkidle")
    context.close()
    assert not violations, "\n".join(violations)
