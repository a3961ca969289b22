"""The public pages on a phone: zoomable screenshots, content language, titles and descriptions, tap-to-call
hotlines, and no axe-core findings at all, in both modes, with JavaScript on and off."""

import re

import pytest

from cms.prefs import MODE_COOKIE
from tests import factories
from tests.e2e.conftest import PHONE, watch_csp
from tests.e2e.test_citizen_journey import axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def demo(transactional_db):
    home, index = factories.make_site()
    shebao = factories.make_category()
    factories.make_category(name="医保", slug="yibao", badge="医")
    tutorial = factories.make_tutorial(index, title="查询社保缴费记录", category=shebao, steps=4)
    image = factories.make_image(width=1080, height=1920)
    tutorial.steps = [
        (
            "step",
            factories.step_value(title="打开应用", text="在手机桌面上找到应用并点开。", image=image, alt="手机桌面"),
        ),
        (
            "step",
            factories.step_value(
                title="登录", text="用手机号和验证码登录。", image=image, alt="登录页面", tip="验证码不要告诉任何人。"
            ),
        ),
        (
            "step",
            factories.step_value(
                title="找到缴费记录",
                text="点“查询”，再点“缴费记录”。有疑问拨打12333咨询。",
                image=image,
                alt="查询页面",
            ),
        ),
        ("step", factories.step_value(title="查看明细", text="点某个月份可以看到明细。", image=image, alt="明细页面")),
    ]
    tutorial.save_revision().publish()
    tutorial.refresh_from_db()
    return {"home": home, "tutorial": tutorial, "category_url": tutorial.category_url()}


def new_phone(browser, live_server, *, elder: bool = False, javascript: bool = True, locale: str = "zh-CN"):
    context = browser.new_context(**PHONE, locale=locale, java_script_enabled=javascript)
    if elder:
        context.add_cookies([{"name": MODE_COOKIE, "value": "elder", "url": live_server.url}])
    return context, watch_csp(context)


@pytest.fixture
def contexts(browser):
    made = []
    yield made
    for context, violations in made:
        context.close()
        assert violations == []


def open_all_steps(page) -> None:
    show_all = page.locator("[data-show-all]")
    if show_all.is_visible() and show_all.get_attribute("aria-expanded") != "true":
        show_all.click()


def public_urls(live_server, demo) -> dict[str, str]:
    base = live_server.url
    return {
        "home": base + "/",
        "category": base + demo["category_url"],
        "tutorial": base + demo["tutorial"].url,
        "search": base + "/search/?q=" + "社保缴费",
    }


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_axe_finds_nothing_on_public_pages(live_server, demo, browser, contexts, elder):
    context, violations = new_phone(browser, live_server, elder=elder)
    contexts.append((context, violations))
    page = context.new_page()
    for name, url in public_urls(live_server, demo).items():
        page.goto(url)
        assert ("elder" in (page.locator("html").get_attribute("class") or "")) is elder
        open_all_steps(page)
        if name == "tutorial":
            assert page.locator("[data-step-body]:visible").count() == 4
        found = axe_violations(page, enhanced_contrast=elder)
        assert found == [], (name, found)


def test_titles_descriptions_and_hotlines(live_server, demo, browser, contexts):
    context, violations = new_phone(browser, live_server)
    contexts.append((context, violations))
    page = context.new_page()
    titles = {}
    for name, url in public_urls(live_server, demo).items():
        page.goto(url)
        title = page.title()
        titles[name] = title
        parts = [part.strip() for part in title.split("·")]
        assert len(parts) == len(set(parts)), title  # never "帮办 · 帮办"
        description = page.locator('meta[name="description"]').get_attribute("content")
        assert description and len(description.strip()) >= 10, (name, description)
        # Every page's footer offers the 12345 hotline as a number to tap.
        assert page.locator('footer a[href="tel:12345"]').inner_text() == "12345"
        if name == "tutorial":
            assert description == "用手机查询本人的社保缴费记录。"  # the tutorial's summary
            assert page.locator('#step-3 a[href="tel:12333"]').inner_text() == "12333"
    assert titles["home"].startswith("帮办 · ") and "帮办 · 帮办" not in titles["home"]
    assert titles["tutorial"] == "查询社保缴费记录 · 帮办"
    assert titles["category"] == "社保 · 帮办"
    assert len(set(titles.values())) == len(titles)


def test_reduced_search_notice_in_plain_words(live_server, demo, browser, contexts):
    context, violations = new_phone(browser, live_server)
    contexts.append((context, violations))
    page = context.new_page()
    page.goto(public_urls(live_server, demo)["search"])  # no cluster in this test: part of search is missing
    notice = page.locator(".callout--warning").inner_text()
    assert "简化模式" not in notice
    assert "搜不到" in notice and "过几分钟再搜一次" in notice


CJK_TEXT_LANGS = """() => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const wrong = [];
    const cjk = /[\\u4e00-\\u9fff]/;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!cjk.test(node.data)) continue;
        const owner = node.parentElement.closest("[lang]");
        const lang = owner ? owner.lang : "";
        if (lang !== "zh-CN") wrong.push(`${node.parentElement.tagName}: ${node.data.trim().slice(0, 20)} (${lang})`);
    }
    for (const el of document.querySelectorAll("img[alt], [aria-label], [placeholder]")) {
        const text = el.getAttribute("alt") || el.getAttribute("aria-label") || el.getAttribute("placeholder");
        const owner = el.closest("[lang]");
        if (cjk.test(text) && !(owner && owner.lang === "zh-CN")) wrong.push(`${el.tagName}@: ${text.slice(0, 20)}`);
    }
    return wrong;
}"""


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_chinese_content_says_its_language_on_the_english_interface(live_server, demo, browser, contexts, javascript):
    context, violations = new_phone(browser, live_server, locale="en-US", javascript=javascript)
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    contexts.append((context, violations))
    page = context.new_page()
    for name, url in public_urls(live_server, demo).items():
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "en", name
        open_all_steps(page)
        assert page.locator("h1").first.get_attribute("lang") in ("zh-CN", None)
        assert page.evaluate(CJK_TEXT_LANGS) == [], name
        if name == "tutorial" and javascript:
            # The step titles that JavaScript turns into buttons keep their language.
            assert page.locator("#step-1 .step__toggle").get_attribute("lang") == "zh-CN"


def test_chinese_interface_says_chinese_once(live_server, demo, browser, contexts):
    context, violations = new_phone(browser, live_server)
    contexts.append((context, violations))
    page = context.new_page()
    page.goto(public_urls(live_server, demo)["tutorial"])
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("main [lang]").count() == 0
    assert page.evaluate(CJK_TEXT_LANGS) == []


def figure_in_view(page, selector: str) -> bool:
    return page.evaluate(
        """(s) => { const r = document.querySelector(s).getBoundingClientRect();
            return r.bottom > 0 && r.top < window.innerHeight; }""",
        selector,
    )


def test_elder_screenshots_fill_the_column(live_server, demo, browser, contexts):
    widths = {}
    for elder in (False, True):
        context, violations = new_phone(browser, live_server, elder=elder)
        contexts.append((context, violations))
        page = context.new_page()
        page.goto(public_urls(live_server, demo)["tutorial"])
        page.locator("#step-1 .screenshot__img").scroll_into_view_if_needed()
        page.wait_for_function("() => document.querySelector('#step-1 .screenshot__img').complete")
        widths[elder] = page.evaluate(
            """() => [document.querySelector('#step-1 .screenshot__img').getBoundingClientRect().width,
                      document.querySelector('main').clientWidth
                        - 2 * parseFloat(getComputedStyle(document.querySelector('main')).paddingLeft)]"""
        )
    image, column = widths[True]
    assert abs(image - column) <= 1, widths
    assert widths[True][0] > widths[False][0]


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_tap_screenshot_to_zoom_and_back_to_the_same_step(live_server, demo, browser, contexts, elder):
    context, violations = new_phone(browser, live_server, elder=elder)
    contexts.append((context, violations))
    page = context.new_page()
    url = public_urls(live_server, demo)["tutorial"]
    page.goto(url)
    open_all_steps(page)
    shot = page.locator("#step-3 a[data-zoom]")
    shot.scroll_into_view_if_needed()
    page.evaluate("() => window.scrollBy(0, 40)")
    before = page.evaluate("() => window.scrollY")
    assert before > 0

    shot.tap()
    dialog = page.locator("dialog.zoom")
    dialog.wait_for(state="visible")
    picture = dialog.locator("img.zoom__img")
    assert picture.get_attribute("src").endswith(shot.get_attribute("href"))
    assert picture.get_attribute("alt") == "查询页面"
    page.wait_for_function("() => document.querySelector('dialog.zoom img').complete")
    box = picture.bounding_box()
    assert box["width"] >= 389  # the whole screen's width
    assert page.evaluate("() => document.querySelector('dialog.zoom img').naturalWidth") == 1080
    touch = page.evaluate("() => getComputedStyle(document.querySelector('.zoom__frame')).touchAction")
    assert touch in ("manipulation", "pan-x pan-y pinch-zoom"), touch  # the phone's own pinch zoom and panning
    # Tapping the picture doubles it for anyone who cannot pinch.
    picture.tap()
    assert picture.bounding_box()["width"] >= 2 * box["width"] - 1
    assert page.url == url

    page.go_back()
    dialog.wait_for(state="hidden")
    assert page.url == url
    assert page.evaluate("() => window.scrollY") == before
    assert page.locator("[data-step-body]:visible").count() == 4  # the steps stay as they were
    # The close button goes the same way back through the history.
    shot.tap()
    dialog.wait_for(state="visible")
    dialog.locator(".zoom__close").tap()
    dialog.wait_for(state="hidden")
    assert page.url == url
    assert page.evaluate("() => history.state") is None  # the picture's history entry is gone


def test_screenshot_opens_full_size_without_javascript(live_server, demo, browser, contexts):
    context, violations = new_phone(browser, live_server, elder=True, javascript=False)
    contexts.append((context, violations))
    page = context.new_page()
    url = public_urls(live_server, demo)["tutorial"]
    page.goto(url)
    shot = page.locator("#step-3 a[data-zoom]")
    shot.scroll_into_view_if_needed()
    with page.expect_navigation():
        shot.click()
    assert re.search(r"\.width-1280\.webp$", page.url), page.url
    assert page.evaluate("() => document.images[0].naturalWidth") == 1080
    page.go_back()
    assert page.url == url
    assert figure_in_view(page, "#step-3-shot-1")
    assert not figure_in_view(page, "#step-1-shot-1")
