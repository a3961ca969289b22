"""Searching from the home page on a phone, in both modes, checked by axe-core."""

import pytest

from tests import factories
from tests.e2e.test_citizen_journey import assert_accessible, small_targets

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(transactional_db):
    _, index = factories.make_site()
    factories.make_tutorial(index, title="查询社保缴费记录", summary="在手机上查看每个月的社保缴费情况。")
    factories.make_tutorial(
        index, title="激活医保电子凭证", category=factories.make_category("医保", "yibao", "医"), summary="激活医保码。"
    )


def test_search_from_home_in_both_modes(live_server, site, phone, screenshot_dir):
    phone.goto(live_server.url + "/")
    phone.fill("#home-q", "怎么查社保缴费")
    phone.locator("#home-q").press("Enter")
    phone.wait_for_url("**/search/?q=*")
    titles = phone.locator(".result__title").all_inner_texts()
    assert titles[0] == "查询社保缴费记录"
    assert phone.locator(".callout--warning").is_visible()  # no cluster in this test: reduced mode is said
    assert_accessible(phone, elder=False)
    assert small_targets(phone, 24) == []
    phone.screenshot(path=screenshot_dir / "search.png", full_page=True)

    phone.locator("button[data-mode-toggle]").click()
    phone.wait_for_load_state()
    assert "elder" in phone.locator("html").get_attribute("class")
    assert phone.locator(".result__title").first.inner_text() == "查询社保缴费记录"
    assert_accessible(phone, elder=True)
    assert small_targets(phone, 60) == []
    # Nothing sticks out sideways on a phone, even with large text.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.screenshot(path=screenshot_dir / "search-elder.png", full_page=True)
