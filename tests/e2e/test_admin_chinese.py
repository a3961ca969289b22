"""The editor's admin in Chromium, as a zh-Hans user: no English left on the screens of their path."""

import re

import pytest
from django.urls import reverse

from cms import roles
from tests import factories
from tests.e2e.conftest import watch_csp
from tests.e2e.test_moderation import DESKTOP, admin_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Words that are not English prose: brands, formats and the like, as an editor sees them in Chinese software too.
ALLOWED = {
    "bangban",
    "wagtail",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
    "heic",
    "avif",
    "svg",
    "url",
    "urls",
    "id",
    "mb",
    "kb",
    "ctrl",
    "alt",
    "shift",
    "cmd",
    "esc",
    "enter",
    "gmt",
    "utc",
}
WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
# Text the tests wrote themselves, logins and addresses: not interface strings.
USER_CONTENT = re.compile(
    r"https?://\S+|[\w.-]+@[\w.-]+|\b(?:editor|moderator|shebao|screen-\d+|t-\d+)\b|[\w-]+\.(?:png|jpg)"
)

VISIBLE_TEXT = """
() => {
  // A select's innerText lists every option (time zones, languages): only the chosen one is on the screen.
  const selects = [...document.querySelectorAll("select")].map((el) => [el, el.style.display]);
  for (const [el] of selects) el.style.display = "none";
  const parts = [document.title, document.body.innerText];
  for (const [el, display] of selects) {
    el.style.display = display;
    if (el.selectedOptions.length && el.getClientRects().length) parts.push(el.selectedOptions[0].text);
  }
  for (const el of document.querySelectorAll("[placeholder], [aria-label], [title]")) {
    if (el.closest("[hidden], template") || !el.getClientRects().length) continue;
    for (const name of ["placeholder", "aria-label", "title"]) {
      if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
    }
  }
  return parts.join("\\n");
}
"""


def english_words(text: str) -> list[str]:
    text = USER_CONTENT.sub(" ", text)
    return sorted({word for word in WORD.findall(text) if word.lower().strip("'’") not in ALLOWED})


@pytest.fixture
def editor_path(transactional_db):
    _, index = factories.make_site()
    editor = factories.make_user("editor", roles.EDITORS)
    moderator = factories.make_user("moderator", roles.MODERATORS)
    category = factories.make_category()
    page = factories.make_tutorial(index, publish=False, owner=editor)
    page.get_workflow().start(page, editor)
    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(task_state, moderator, "reject", comment="请换成新版截图。")
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "edit": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        "create": reverse("wagtailadmin_pages:add", args=("tutorials", "tutorialpage", index.pk)),
        "image upload": reverse("wagtailimages:add_multiple"),
        "snippets": reverse("wagtailsnippets_tutorials_servicecategory:list"),
        "workflow history": reverse("wagtailadmin_pages:workflow_history", args=(page.pk,)),
        "account": reverse("wagtailadmin_account"),
        # Categories are the Moderators' to edit.
        "moderator: dashboard": reverse("wagtailadmin_home"),
        "moderator: snippet": reverse("wagtailsnippets_tutorials_servicecategory:edit", args=(category.pk,)),
    }


def test_no_english_on_the_editors_screens(live_server, browser, editor_path):
    found: dict[str, list[str]] = {}
    violations: list[str] = []
    for username in ("editor", "moderator"):
        context = browser.new_context(**DESKTOP, locale="zh-CN")
        violations += watch_csp(context)
        page = context.new_page()
        try:
            admin_login(page, live_server.url, username)
            for name, path in editor_path.items():
                if name.startswith("moderator:") != (username == "moderator"):
                    continue
                page.goto(f"{live_server.url}{path}")
                page.wait_for_load_state("networkidle")
                assert page.url.endswith(path), f"{name}: sent to {page.url}"
                words = english_words(page.evaluate(VISIBLE_TEXT))
                if words:
                    found[name] = words
        finally:
            context.close()
    assert not found, "English left in the zh-Hans admin:\n" + "\n".join(
        f"{name}: {' '.join(words)}" for name, words in found.items()
    )
    assert not violations, violations


def test_steps_are_numbered_in_the_editor(live_server, browser, editor_path):
    context = browser.new_context(**DESKTOP, locale="zh-CN")
    page = context.new_page()
    try:
        admin_login(page, live_server.url, "editor")
        page.goto(f"{live_server.url}{editor_path['edit']}")
        page.wait_for_load_state("networkidle")
        # CSS counters: the browser numbers the steps, and renumbers them when one moves or is deleted.
        steps = page.evaluate(
            """() => [...document.querySelectorAll(
                   "[data-contentpath='steps'] [data-streamfield-stream-container] > [data-streamfield-child]")]
                 .map((el) => [getComputedStyle(el).counterIncrement,
                               getComputedStyle(el.querySelector(".c-sf-block__type"), "::after").content])"""
        )
        assert steps == [["bangban-step 1", '" " counter(bangban-step)']] * 3, steps
        # Only the steps: the screenshots inside a step are not numbered as steps.
        inner = page.evaluate(
            """() => [...document.querySelectorAll("[data-contentpath='screenshots'] .c-sf-block__type")]
                 .map((el) => getComputedStyle(el, "::after").content)"""
        )
        assert inner and set(inner) == {"none"}, inner
    finally:
        context.close()
