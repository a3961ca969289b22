"""A training manager writes a question in the admin's question editor in Chromium: the chosen type's section shows,
option rows are added and removed, and the saved question holds the answers as its ``data``."""

import pytest
from django.urls import reverse

from tests import factories
from tests.e2e.conftest import watch_csp
from tests.e2e.test_moderation import DESKTOP, admin_login
from tests.training import builders
from training.models import Question, QuestionCategory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def manager(transactional_db):
    factories.ensure_base_data()
    tree = builders.tree()
    category = QuestionCategory.objects.create(name="社保")
    return builders.manager("刘主任", tree["county"]), category


def section(page, kind: str):
    return page.locator(f"[data-question-section][data-types~='{kind}']")


def test_a_manager_writes_a_multiple_choice_question(live_server, browser, manager, screenshot_dir):
    boss, category = manager
    context = browser.new_context(**DESKTOP, locale="zh-CN")
    violations = watch_csp(context)
    page = context.new_page()
    try:
        admin_login(page, live_server.url, boss.user.username)
        page.goto(f"{live_server.url}{reverse('wagtailsnippets_training_question:add')}")
        choices, pairs, true_false = section(page, "multiple"), section(page, "matching"), section(page, "true_false")
        # No type chosen yet: no section, and the note saying which one to fill.
        assert page.locator("[data-question-editor-note]").is_visible()
        assert not choices.is_visible() and not pairs.is_visible()

        page.select_option("select[name=type]", "matching")
        assert pairs.is_visible() and not choices.is_visible() and not true_false.is_visible()
        assert not page.locator("[data-question-editor-note]").is_visible()
        page.select_option("select[name=type]", "true_false")
        assert true_false.is_visible() and not pairs.is_visible()
        page.select_option("select[name=type]", "multiple")
        assert choices.is_visible() and not true_false.is_visible()

        page.locator("[data-field-wrapper]:has(#id_category) .chooser__choose-button").click()
        page.locator(".modal a", has_text="社保").click()
        page.wait_for_function("() => document.querySelector('#id_category').value !== ''")
        page.fill("[name=text]", "办理医保转移需要哪些材料？")
        rows = choices.locator("[data-rows] > [data-row]:visible")
        assert rows.count() == 4
        choices.locator("[data-add-row]").click()
        assert rows.count() == 5
        assert page.input_value("[name=choices-TOTAL_FORMS]") == "5"
        for index, (text, weight) in enumerate(
            [("身份证", "50"), ("户口本", "-100"), ("参保凭证", "50"), ("结婚证", "0"), ("暂住证", "0")]
        ):
            page.fill(f"[name=choices-{index}-text]", text)
            page.fill(f"[name=choices-{index}-weight]", weight)
        page.fill("[name=choices-1-feedback]", "户口本不需要")
        # The fifth option goes again.
        rows.nth(4).locator("[data-remove-row]").click()
        assert rows.count() == 4
        page.locator("[data-question-editor]").screenshot(path=screenshot_dir / "question-editor.png")
        with page.expect_navigation():
            page.locator("button.action-save").first.click()

        question = Question.objects.get()
        assert question.type == "multiple" and question.category == category
        assert question.data == {
            "choices": [
                {"text": "身份证", "weight": "50", "feedback": ""},
                {"text": "户口本", "weight": "-100", "feedback": "户口本不需要"},
                {"text": "参保凭证", "weight": "50", "feedback": ""},
                {"text": "结婚证", "weight": "0", "feedback": ""},
            ]
        }
        assert violations == []
    finally:
        context.close()
