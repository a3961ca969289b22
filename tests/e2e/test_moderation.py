"""The two-person review in the admin, as a moderator does it in Chromium."""

import pytest
from django.urls import reverse

from cms import roles
from tests import factories
from tests.e2e.conftest import watch_csp
from tutorials.models import TutorialPage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1366, "height": 900}}


@pytest.fixture
def submitted_tutorial(transactional_db):
    _, index = factories.make_site()
    author = factories.make_user("author", roles.EDITORS)
    page = factories.make_tutorial(index, publish=False, owner=author)
    page.save_revision(user=author)
    page.get_workflow().start(page, author)
    factories.make_user("moderator", roles.MODERATORS)
    return TutorialPage.objects.get(pk=page.pk)


def admin_login(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}{reverse('wagtailadmin_login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{base_url}{reverse('wagtailadmin_home')}")


def test_approving_unchanged_content_from_the_edit_view_publishes(live_server, browser, submitted_tutorial):
    revisions_before = submitted_tutorial.revisions.count()
    context = browser.new_context(**DESKTOP, locale="zh-CN")
    page = context.new_page()
    try:
        admin_login(page, live_server.url, "moderator")
        page.goto(f"{live_server.url}{reverse('wagtailadmin_pages:edit', args=(submitted_tutorial.pk,))}")
        # "Approve" without a comment (the one that opens no dialog), in the footer's action menu
        approve = page.locator(
            'footer button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'
        )
        if not approve.is_visible():
            page.locator("footer [data-w-dropdown-target='toggle']").last.click()
        approve.click()
        page.wait_for_load_state("networkidle")
        submitted_tutorial.refresh_from_db()
        assert submitted_tutorial.live, page.locator(".messages").inner_text()
        # The approval saved no revision of its own: the approved one is the author's.
        assert submitted_tutorial.revisions.count() == revisions_before
        assert submitted_tutorial.live_revision.user.username == "author"
        response = page.goto(f"{live_server.url}{submitted_tutorial.url}")
        assert response.status == 200
    finally:
        context.close()


def test_a_new_tutorial_from_a_search_gap_starts_with_the_citizens_words(live_server, browser, submitted_tutorial):
    from urllib.parse import urlencode

    index = submitted_tutorial.get_parent()
    context = browser.new_context(**DESKTOP, locale="zh-CN")
    violations = watch_csp(context)
    page = context.new_page()
    try:
        admin_login(page, live_server.url, "author")
        add = reverse("wagtailadmin_pages:add", args=("tutorials", "tutorialpage", index.pk))
        page.goto(f"{live_server.url}{add}?{urlencode({'title': '社保卡丢了怎么办'})}")
        page.wait_for_function("() => document.getElementById('id_title').value !== ''")
        assert page.input_value("#id_title") == "社保卡丢了怎么办"
    finally:
        context.close()
    assert violations == []
