"""A learner takes a quiz on a phone: answers are saved as they go (a reload keeps them), a double tap on submit
counts once, and the result shows the score and the feedback."""

import pytest
from django.urls import reverse

from tests import factories
from tests.e2e.conftest import PHONE, _fail_on, watch_csp
from tests.training import builders, quiz_builders
from training.models import Answer, Attempt

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def assigned(transactional_db):
    factories.ensure_base_data()
    tree = builders.tree()
    learner = builders.staff("李明", tree["office"], number="A001")
    category, rows = quiz_builders.bank()
    quiz = quiz_builders.quiz(category, count=5, pass_mark=60, time_limit_minutes=10)
    course = quiz_builders.course_with_quiz(tree, quiz, final=True)
    return learner, course, quiz, rows


def test_a_learner_takes_a_quiz_resumes_it_and_submits_once(live_server, browser, assigned):
    learner, course, quiz, rows = assigned
    context = browser.new_context(**PHONE, locale="zh-CN")
    violations = watch_csp(context)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{reverse('training:login')}")
        page.fill("#id_username", "A001")
        page.fill("#id_password", "pw")
        page.locator("form.learn-form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}{reverse('training:my_learning')}")
        page.goto(f"{live_server.url}{reverse('training:course', args=(course.pk,))}")
        page.locator("[data-final-quiz]").click()
        with page.expect_navigation():
            page.locator("[data-start-quiz]").click()
        attempt = Attempt.objects.get()
        assert page.locator("[data-timer-text]").inner_text().startswith(("9:", "10:"))
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"the quiz page scrolls sideways on a phone ({width}px)"

        def saved(question):
            page.wait_for_function(
                "(id) => document.querySelector(`[data-question='${id}'] [data-saved]`).textContent.includes('✓')",
                arg=question.pk,
            )

        single = page.locator(f"[data-question='{rows['single'].pk}']")
        single.get_by_label("人社窗口").check()
        saved(rows["single"])
        multiple = page.locator(f"[data-question='{rows['multiple'].pk}']")
        multiple.get_by_label("身份证").check()
        saved(rows["multiple"])
        multiple.get_by_label("参保凭证").check()
        page.locator(f"[data-question='{rows['true_false'].pk}']").get_by_label("对").check()
        saved(rows["true_false"])
        page.locator(f"[data-question='{rows['short_answer'].pk}'] input").fill("养老 金")
        saved(rows["short_answer"])
        matching = page.locator(f"[data-question='{rows['matching'].pk}']")
        matching.locator("select").nth(0).select_option("人社窗口")
        saved(rows["matching"])
        matching.locator("select").nth(1).select_option("派出所")
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('[data-saved]')).every((s) => s.textContent.includes('✓'))"
        )
        assert Answer.objects.filter(attempt=attempt).count() == 5
        assert Answer.objects.get(attempt=attempt, question=rows["multiple"]).response == [0, 1]

        # The connection drops; the learner comes back: everything answered is still there.
        page.reload()
        assert single.get_by_label("人社窗口").is_checked()
        assert multiple.get_by_label("参保凭证").is_checked()
        assert page.locator(f"[data-question='{rows['short_answer'].pk}'] input").input_value() == "养老 金"
        assert matching.locator("select").nth(1).input_value() == "派出所"

        with page.expect_navigation():
            page.locator("[data-submit]").dblclick()
        page.wait_for_selector("[data-attempt-result]")
        assert page.locator("[data-attempt-result]").get_attribute("data-passed") == "true"
        assert "100%" in page.locator("[data-attempt-result]").inner_text()
        assert "对，人社窗口可以补办。" in page.content()
        attempt.refresh_from_db()
        assert attempt.state == Attempt.State.SUBMITTED and attempt.score == 100
        assert Attempt.objects.count() == 1
        page.goto(f"{live_server.url}{reverse('training:course', args=(course.pk,))}")
        assert page.locator("[data-course-progress]").get_attribute("value") == "50"
    finally:
        context.close()
    _fail_on(violations)


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_axe_finds_nothing_serious_on_the_quiz_pages(live_server, browser, assigned, elder):
    from cms.prefs import MODE_COOKIE
    from tests.e2e.test_citizen_journey import assert_accessible

    learner, course, quiz, rows = assigned
    context = browser.new_context(**PHONE, locale="zh-CN")
    if elder:
        context.add_cookies([{"name": MODE_COOKIE, "value": "elder", "url": live_server.url}])
    violations = watch_csp(context)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{reverse('training:login')}")
        page.fill("#id_username", "A001")
        page.fill("#id_password", "pw")
        page.locator("form.learn-form button[type=submit]").click()
        page.wait_for_url(f"{live_server.url}{reverse('training:my_learning')}")
        page.goto(f"{live_server.url}{reverse('training:quiz', args=(quiz.pk,))}")
        assert_accessible(page, elder=elder)
        with page.expect_navigation():
            page.locator("[data-start-quiz]").click()
        assert ("elder" in (page.locator("html").get_attribute("class") or "")) is elder
        assert_accessible(page, elder=elder)
        with page.expect_navigation():
            page.locator("[data-submit]").click()
        page.wait_for_selector("[data-attempt-result]")
        assert_accessible(page, elder=elder)
    finally:
        context.close()
    _fail_on(violations)
