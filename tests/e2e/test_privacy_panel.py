"""The personal-information panel on the tutorial edit view, as a Moderator uses it in Chromium."""

import pytest
from django.urls import reverse

from cms import roles
from privacy.models import Finding
from tests import factories
from tests.e2e.conftest import _fail_on, watch_csp
from tests.e2e.test_moderation import DESKTOP, admin_login
from tests.privacy.conftest import screenshot_with_id

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def draft_with_id(transactional_db):
    _, index = factories.make_site()
    page = factories.make_tutorial(index, publish=False)
    image = screenshot_with_id()  # the upload's scan runs when its transaction commits
    page = page.get_latest_revision_as_object()
    raw = page.steps.raw_data
    raw[0]["value"]["screenshots"][0]["value"]["image"] = image.pk
    page.steps = raw
    page.save_revision()
    factories.make_user("moderator", roles.MODERATORS)
    return page


def test_moderator_sees_the_box_and_overrides_with_a_reason(live_server, browser, draft_with_id):
    finding = Finding.objects.get(status=Finding.Status.OPEN)
    context = browser.new_context(**DESKTOP, locale="zh-CN")
    violations = watch_csp(context)
    page = context.new_page()
    try:
        admin_login(page, live_server.url, "moderator")
        edit = f"{live_server.url}{reverse('wagtailadmin_pages:edit', args=(draft_with_id.pk,))}"
        page.goto(edit)
        item = page.locator(f'[data-finding="{finding.pk}"]')
        assert "1101**********4514" in item.inner_text()
        picture = item.locator("img.privacy-finding__picture")
        picture.scroll_into_view_if_needed()
        page.wait_for_function("() => document.querySelector('img.privacy-finding__picture').naturalWidth > 0")
        item.locator("a", has_text="放行").click()
        page.fill("textarea[name=reason]", "培训演示用的虚构号码，不是真人的。")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(edit)
        finding.refresh_from_db()
        assert finding.status == Finding.Status.OVERRIDDEN
        assert finding.decided_by.username == "moderator"
        assert "已放行" in page.locator(f'[data-finding="{finding.pk}"]').inner_text()
        _fail_on(violations)
    finally:
        context.close()
