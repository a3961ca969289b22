"""A publicity officer watches a channel package build in the admin and previews its files, in Chromium."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from cms import roles
from publishing.models import Package
from publishing.models.packages import STALLED_REASON
from publishing.services import package_build
from tests import factories
from tests.e2e.conftest import watch_csp
from tests.e2e.test_moderation import DESKTOP, admin_login
from tests.publishing.package_helpers import new_package, tutorial_with_steps

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_build_progress_and_the_previews(live_server, browser):
    _, index = factories.make_site()
    officer = factories.make_user("officer", roles.PUBLICITY_OFFICERS)
    package = new_package(tutorial_with_steps(index), "poster", officer)

    context = browser.new_context(**DESKTOP, locale="zh-CN")
    violations = watch_csp(context)
    page = context.new_page()
    try:
        admin_login(page, live_server.url, "officer")
        page.goto(f"{live_server.url}{reverse('wagtailsnippets_publishing_package:edit', args=[package.pk])}")
        box = page.locator("[data-package-status]")
        assert box.get_attribute("data-status") == "queued"
        assert page.locator(".package-files__item").count() == 0

        # The build runs while the page is open: the page polls its status and reloads once it is ready.
        package_build(package_id=package.pk)
        page.wait_for_function(
            "() => document.querySelectorAll('.package-files__image').length === 3"
            " && [...document.querySelectorAll('.package-files__image')].every(i => i.complete && i.naturalWidth > 0)",
            timeout=30_000,
        )
        assert page.locator("[data-package-status]").get_attribute("data-status") == "ready"
        assert page.locator("[data-progress]").get_attribute("value") == "100"
        roles_shown = page.locator(".package-files__item").evaluate_all("items => items.map(i => i.dataset.role)")
        assert sorted(roles_shown) == ["cover", "poster_a3", "poster_a4"]
        assert page.locator("[data-zip]").count() == 1
    finally:
        context.close()
    assert violations == []


def test_a_build_whose_worker_died_turns_failed_and_is_rebuilt(live_server, browser):
    _, index = factories.make_site()
    officer = factories.make_user("officer", roles.PUBLICITY_OFFICERS)
    package = new_package(tutorial_with_steps(index), "poster", officer)
    now = timezone.now()
    Package.objects.filter(pk=package.pk).update(
        build_status=Package.BuildStatus.BUILDING, build_progress=0.3, build_started_at=now, build_heartbeat_at=now
    )

    context = browser.new_context(**DESKTOP, locale="zh-CN")
    violations = watch_csp(context)
    page = context.new_page()
    try:
        admin_login(page, live_server.url, "officer")
        page.goto(f"{live_server.url}{reverse('wagtailsnippets_publishing_package:edit', args=[package.pk])}")
        assert page.locator("[data-package-status]").get_attribute("data-status") == "building"
        assert page.locator("[data-rebuild]").count() == 0

        # The worker is not heard from again: once its lease is older than the timeout, the polling page turns
        # the build failed, says why, and offers a rebuild.
        long_ago = now - datetime.timedelta(minutes=settings.PACKAGE_BUILD_TIMEOUT_MINUTES + 1)
        Package.objects.filter(pk=package.pk).update(build_started_at=long_ago, build_heartbeat_at=long_ago)
        page.wait_for_function(
            "() => document.querySelector('[data-package-status]').dataset.status === 'failed'", timeout=15_000
        )
        with translation.override("zh-hans"):
            assert (
                page.locator("[data-failure]").inner_text()
                == str(STALLED_REASON)
                == "生成中途停止，未能完成；请重新生成。"
            )
        with page.expect_navigation():
            page.locator("[data-rebuild]").click()
        page.wait_for_function(
            "() => document.querySelector('[data-package-status]').dataset.status === 'ready'", timeout=60_000
        )
        assert page.locator(".package-files__item").count() == 3
        assert page.locator("[data-failure]").count() == 0
    finally:
        context.close()
    assert violations == []


def test_the_article_preview_shows_the_step_pictures(live_server, browser):
    _, index = factories.make_site()
    officer = factories.make_user("officer", roles.PUBLICITY_OFFICERS)
    package = new_package(tutorial_with_steps(index), "wechat-article", officer)
    package_build(package_id=package.pk)

    context = browser.new_context(**DESKTOP, locale="zh-CN")
    violations = watch_csp(context)
    page = context.new_page()
    try:
        admin_login(page, live_server.url, "officer")
        page.goto(f"{live_server.url}{reverse('wagtailsnippets_publishing_package:edit', args=[package.pk])}")
        # Each step picture is previewed on its own ...
        pictures = page.locator("[data-role=step_image] .package-files__image")
        assert pictures.count() == 3
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-role=step_image] .package-files__image')]"
            ".every(i => i.complete && i.naturalWidth === 720)",
            timeout=30_000,
        )
        # ... and inside the article as an officer copies it: full addresses of the same pictures, loaded.
        page.locator("iframe.package-files__article").wait_for()
        article = next(frame for frame in page.frames if "/files/article_html/" in frame.url)
        article.wait_for_function(
            "() => document.images.length === 3"
            " && [...document.images].every(i => i.complete && i.naturalWidth === 720)",
            timeout=30_000,
        )
        sources = article.locator("img").evaluate_all("images => images.map(i => i.getAttribute('src'))")
        assert sources == [
            f"{live_server.url}{reverse('package_step_image', args=[package.pk, step])}" for step in (1, 2, 3)
        ]
    finally:
        context.close()
    assert violations == []
