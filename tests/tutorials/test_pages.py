import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from wagtail.models import Page

from cms.models import HomePage
from tests import factories
from tutorials.models import TutorialIndexPage, TutorialPage

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser")


def test_page_tree_rules():
    assert TutorialPage.allowed_parent_page_models() == [TutorialIndexPage]
    assert TutorialIndexPage.allowed_parent_page_models() == [HomePage]
    assert TutorialPage.allowed_subpage_models() == []
    assert HomePage.allowed_subpage_models() == [TutorialIndexPage]
    assert HomePage.max_count == 1


def test_tutorial_cannot_be_created_outside_an_index(site_pages):
    home, _ = site_pages
    assert not TutorialPage.can_create_at(home)
    assert not TutorialPage.can_create_at(Page.get_first_root_node())


def test_tutorial_page_renders_numbered_linkable_steps(client, tutorial):
    page = soup(client.get(tutorial.url))
    steps = page.select("ol.steps > li.step")
    assert [step["id"] for step in steps] == ["step-1", "step-2", "step-3"]
    assert [s.select_one(".step__number").get_text() for s in steps] == ["1", "2", "3"]
    assert steps[1].select_one(".step__anchor")["href"] == "#step-2"
    assert "第2步：打开应用" in steps[1].select_one("[data-step-heading]").get_text()
    assert page.h1.get_text() == "查询社保缴费记录"


def test_steps_are_readable_without_javascript(client, tutorial):
    page = soup(client.get(tutorial.url))
    # Nothing in a step is hidden in the HTML itself; only the script collapses steps.
    for body in page.select("[data-step-body]"):
        assert not body.has_attr("hidden")
    # Without the script the place of "show all steps" says that all are shown (CSS swaps them, same height).
    assert page.select_one(".steps-controls__note").get_text() == "下面列出了全部步骤。"
    assert page.select_one("[data-read-aloud]").has_attr("hidden")


def test_screenshots_are_responsive_lazy_webp_with_alt(client, tutorial):
    img = soup(client.get(tutorial.url)).select_one(".screenshot img")
    assert img["alt"] == "第1步的手机屏幕"
    assert img["loading"] == "lazy"
    candidates = [c.strip().split(" ") for c in img["srcset"].split(",")]
    assert [width for _, width in candidates] == ["320w", "640w"]
    assert all(url.endswith(".webp") for url, _ in candidates)
    assert img.has_attr("sizes")


def test_no_third_party_requests(client, tutorial):
    page = soup(client.get(tutorial.url))
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("img", "srcset"), ("iframe", "src")):
        for element in page.find_all(tag):
            value = element.get(attr, "")
            assert "//" not in value, f"{tag} {attr} points off-site: {value}"


def test_tip_and_warning_render(client, tutorial_index):
    image = factories.make_image()
    page = factories.make_tutorial(tutorial_index, steps=1)
    page.steps = [
        ("step", factories.step_value(title="验证", text="输入验证码", image=image, tip="不要告诉别人", kind="warning"))
    ]
    page.save_revision().publish()
    html = soup(client.get(page.url))
    callout = html.select_one(".callout--warning")
    assert callout is not None and "不要告诉别人" in callout.get_text()


def test_category_page_lists_only_its_live_tutorials(client, tutorial_index):
    shebao = factories.make_category()
    yibao = factories.make_category(name="医保", slug="yibao", badge="医")
    factories.make_tutorial(tutorial_index, title="查询社保缴费记录", category=shebao)
    factories.make_tutorial(tutorial_index, title="激活医保电子凭证", category=yibao)
    factories.make_tutorial(tutorial_index, title="未发布的医保教程", category=yibao, publish=False)
    url = tutorial_index.url + tutorial_index.reverse_subpage("category", kwargs={"slug": "yibao"})
    titles = [t.get_text() for t in soup(client.get(url)).select(".tutorial-item__title")]
    assert titles == ["激活医保电子凭证"]
    assert client.get(tutorial_index.url + "category/nope/").status_code == 404


def test_home_page_starts_here_with_categories(client, tutorial):
    page = soup(client.get("/"))
    assert page.select_one("#start-here-title") is not None
    cards = page.select(".category-card")
    assert len(cards) == 1
    assert cards[0]["href"].endswith("/category/shebao/")
    assert "查询社保缴费记录" in page.get_text()


def test_related_tutorials_show_only_live_pages(client, tutorial_index):
    main = factories.make_tutorial(tutorial_index, title="公积金提取")
    live = factories.make_tutorial(tutorial_index, title="公积金查询")
    draft = factories.make_tutorial(tutorial_index, title="草稿教程", publish=False)
    factories.relate(main, live, draft)
    related = [t.get_text() for t in soup(client.get(main.url)).select(".related .tutorial-item__title")]
    assert related == ["公积金查询"]


def test_unpublished_tutorial_is_not_served(client, tutorial_index):
    draft = factories.make_tutorial(tutorial_index, publish=False)
    assert client.get(draft.url or f"/tutorials/{draft.slug}/").status_code == 404


def test_tutorial_fields_are_validated(tutorial_index):
    page = TutorialPage(
        title="x" * 256,
        slug="too-long",
        summary="s" * 241,
        category=factories.make_category(),
        estimated_minutes=0,
        last_reviewed=datetime.date(2026, 1, 1),
        steps=[],
    )
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert {"title", "summary", "estimated_minutes"} <= set(excinfo.value.message_dict)
