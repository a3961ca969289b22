"""A citizen on a phone: home → category → tutorial, in standard and elder mode, checked by axe-core."""

import pytest

from tests import factories
from tests.e2e.conftest import AXE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Everything a finger is meant to press, inline text links aside (WCAG 2.5.8 exempts those).
TARGETS = (
    "header button, header a, main button:not([hidden]), .button-link, .chip, .category-card, "
    ".tutorial-item__link, .step__anchor, .breadcrumbs a, main input, main select, .result__title"
)


@pytest.fixture
def demo(transactional_db):
    home, index = factories.make_site()
    shebao = factories.make_category()
    yibao = factories.make_category(name="医保", slug="yibao", badge="医")
    tutorial = factories.make_tutorial(index, title="查询社保缴费记录", category=shebao, steps=4)
    other = factories.make_tutorial(index, title="激活医保电子凭证", category=yibao)
    factories.relate(tutorial, other)
    image = factories.make_image()
    tutorial.steps = [
        (
            "step",
            factories.step_value(title="打开应用", text="在手机桌面上找到应用并点开。", image=image, alt="手机桌面"),
        ),
        (
            "step",
            factories.step_value(
                title="登录",
                text="用手机号和验证码登录。",
                image=image,
                alt="登录页面",
                tip="验证码只填在应用里，不要告诉任何人。",
                kind="warning",
            ),
        ),
        (
            "step",
            factories.step_value(
                title="找到缴费记录",
                text="点“查询”，再点“缴费记录”。",
                image=image,
                alt="查询页面",
                tip="记录按月份排列。",
            ),
        ),
        ("step", factories.step_value(title="查看明细", text="点某个月份可以看到明细。", image=image, alt="明细页面")),
    ]
    tutorial.save_revision().publish()
    tutorial.refresh_from_db()
    return {"home": home, "index": index, "tutorial": tutorial, "category_url": tutorial.category_url()}


def load_axe(page) -> None:
    """Puts axe-core into the page without a <script> element, which the page's CSP would block as inline code.

    Playwright runs `evaluate` through the DevTools protocol, which the page's policy does not govern; the phone
    fixture fails the test if anything here still trips the policy.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate("source => { (0, eval)(source); }", AXE.read_text())


def axe_violations(page, *, enhanced_contrast: bool = False) -> list[dict]:
    load_axe(page)
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
    results = page.evaluate(
        """async ([tags, enhanced]) => {
            const options = {runOnly: {type: "tag", values: tags}, rules: {}};
            if (enhanced) options.rules["color-contrast-enhanced"] = {enabled: true};
            const result = await axe.run(document, options);
            const extra = enhanced ? await axe.run(document, {runOnly: ["color-contrast-enhanced"]}) : {violations: []};
            return result.violations.concat(extra.violations).map(v => ({
                id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}));
        }""",
        [tags, enhanced_contrast],
    )
    return results


def assert_accessible(page, *, elder: bool):
    violations = axe_violations(page, enhanced_contrast=elder)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
    if elder:
        assert [v for v in violations if v["id"] == "color-contrast-enhanced"] == []


def small_targets(page, minimum: int) -> list[str]:
    return page.evaluate(
        """([selector, minimum]) => Array.from(document.querySelectorAll(selector))
            .filter(el => el.offsetParent !== null)
            .map(el => { const r = el.getBoundingClientRect(); return [el.outerHTML.slice(0, 80), r.width, r.height]; })
            .filter(([, w, h]) => w < minimum || h < minimum)
            .map(([html, w, h]) => `${html} ${Math.round(w)}x${Math.round(h)}`)""",
        [TARGETS, minimum],
    )


def computed(page, selector: str, prop: str) -> float:
    return page.evaluate("([s, p]) => parseFloat(getComputedStyle(document.querySelector(s))[p])", [selector, prop])


def visible_step_bodies(page) -> int:
    return page.locator("[data-step-body]:visible").count()


def test_phone_journey_in_both_modes(live_server, demo, phone, screenshot_dir):
    base = live_server.url
    tutorial = demo["tutorial"]

    # Standard mode: home, category, tutorial.
    phone.goto(base + "/")
    assert phone.locator("h1").inner_text() == "一步一步，教您在手机上办事"
    assert_accessible(phone, elder=False)
    assert small_targets(phone, 24) == []
    phone.screenshot(path=screenshot_dir / "home.png", full_page=True)

    phone.locator(".category-card", has_text="社保").click()
    phone.wait_for_url("**/category/shebao/")
    assert phone.locator(".tutorial-item__title").all_inner_texts() == ["查询社保缴费记录"]
    assert_accessible(phone, elder=False)
    phone.screenshot(path=screenshot_dir / "category.png", full_page=True)

    phone.locator(".tutorial-item__link").first.click()
    phone.wait_for_url(f"**{tutorial.url}")
    # With JavaScript the steps fold: the first step is open, the rest behind their titles.
    assert visible_step_bodies(phone) == 1
    show_all = phone.locator("[data-show-all]")
    show_all.click()
    assert visible_step_bodies(phone) == 4
    assert show_all.get_attribute("aria-expanded") == "true"
    assert phone.locator("[data-read-aloud]:visible").count() == 4
    assert_accessible(phone, elder=False)
    assert small_targets(phone, 24) == []
    assert computed(phone, "body", "fontSize") >= 16
    phone.screenshot(path=screenshot_dir / "tutorial.png", full_page=True)

    # A step is linkable: opening #step-3 opens that step only.
    phone.goto(base + tutorial.url + "#step-3")
    assert phone.locator("#step-3 [data-step-body]").is_visible()
    assert visible_step_bodies(phone) == 1

    # Elder mode, switched from the page itself and remembered on the next pages.
    phone.locator("button[data-mode-toggle]").click()
    phone.wait_for_load_state()
    assert "elder" in phone.locator("html").get_attribute("class")
    show_all = phone.locator("[data-show-all]")
    show_all.click()
    font_size = computed(phone, "body", "fontSize")
    assert font_size >= 18
    assert computed(phone, "body", "lineHeight") / font_size >= 1.3
    assert small_targets(phone, 60) == []
    assert_accessible(phone, elder=True)
    phone.screenshot(path=screenshot_dir / "tutorial-elder.png", full_page=True)

    # Text grows to 30 px and stays there.
    for _ in range(2):  # 22 → 26 → 30
        phone.locator("button[name=size][value=up]").click()
        phone.wait_for_load_state()
    assert computed(phone, "body", "fontSize") == 30
    assert phone.locator("button[name=size][value=up]").is_disabled()
    phone.locator("[data-show-all]").click()
    assert small_targets(phone, 60) == []
    phone.screenshot(path=screenshot_dir / "tutorial-elder-30px.png", full_page=True)

    for url in ("/", demo["category_url"]):
        phone.goto(base + url)
        assert "elder" in phone.locator("html").get_attribute("class")
        assert computed(phone, "body", "fontSize") == 30
        assert small_targets(phone, 60) == []
        assert_accessible(phone, elder=True)
    phone.screenshot(path=screenshot_dir / "category-elder.png", full_page=True)


def test_feedback_in_place_with_javascript(live_server, demo, phone):
    from tutorials.models import StepFeedback

    phone.goto(live_server.url + demo["tutorial"].url)
    phone.locator("#step-1 button[name=helpful][value=yes]").click()
    phone.locator("#step-1 .feedback__thanks").wait_for()
    assert "感谢" in phone.locator("#step-1 .feedback__thanks").inner_text()
    assert StepFeedback.objects.filter(helpful=True).count() == 1


def test_everything_readable_without_javascript(live_server, demo, phone_without_js, screenshot_dir):
    page = phone_without_js
    page.goto(live_server.url + demo["tutorial"].url)
    assert visible_step_bodies(page) == 4
    assert page.locator("[data-show-all]").is_hidden()
    assert page.locator("[data-read-aloud]:visible").count() == 0
    # Plain forms still work: elder mode and a feedback answer.
    page.locator("button[data-mode-toggle]").click()
    assert "elder" in page.locator("html").get_attribute("class")
    page.locator("#step-2 button[name=helpful][value=no]").click()
    assert page.url.endswith("#step-2")
    assert page.locator("#step-2 .feedback__thanks").is_visible()
    page.screenshot(path=screenshot_dir / "tutorial-no-js.png", full_page=True)


def test_read_aloud_speaks_the_step_in_chinese(live_server, demo, phone):
    # Record what the page asks the browser's speech synthesis to say (headless Chromium has no audio).
    phone.add_init_script(
        """window.__spoken = [];
        speechSynthesis.speak = (u) => {
            window.__spoken.push({text: u.text, lang: u.lang});
            setTimeout(() => u.onend && u.onend(), 50);
        };
        speechSynthesis.cancel = () => {};"""
    )
    phone.goto(live_server.url + demo["tutorial"].url + "#step-2")
    button = phone.locator("#step-2 [data-read-aloud]")
    button.click()
    spoken = phone.evaluate("window.__spoken")
    assert len(spoken) == 1
    assert spoken[0]["lang"] == "zh-CN"
    assert "登录" in spoken[0]["text"] and "用手机号和验证码登录" in spoken[0]["text"]
    assert "不要告诉任何人" in spoken[0]["text"]
    # The function form: Playwright evaluates it once, through DevTools; a string would be eval'd again on every
    # poll, from the page, which the CSP (no 'unsafe-eval') refuses.
    phone.wait_for_function("() => document.querySelector('#step-2 [data-read-aloud]').ariaPressed === 'false'")
