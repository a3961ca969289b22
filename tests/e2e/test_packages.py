"""A publicity officer watches a channel package build in the admin and previews its files, in Chromium."""

import pytest
from django.urls import reverse

from cms import roles
from publishing.models import Package
from publishing.services import package_build
from tests import factories
from tests.e2e.conftest import watch_csp
from tests.e2e.test_moderation import DESKTOP, admin_login
from tests.publishing.package_helpers import channel, tutorial_with_steps

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_build_progress_and_the_previews(live_server, browser):
    _, index = factories.make_site()
    officer = factories.make_user("officer", roles.PUBLICITY_OFFICERS)
    package = Package(tutorial=tutorial_with_steps(index), channel=channel("poster"), created_by=officer, live=False)
    package.save()
    package.save_revision(user=officer)

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
