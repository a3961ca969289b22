"""The whole learner path on a phone (390x844), in standard and elder mode: sign in, watch a lesson video to the
end (the player reports the watched ranges), take the quiz, pass, open the certificate and its public check page.
axe-core finds nothing serious or critical on any learner page on the way."""

import re
import subprocess

import pytest
from django.core.files import File
from django.urls import reverse

from cms.prefs import MODE_COOKIE
from media.models import VideoAsset
from tests import factories
from tests.e2e.conftest import PHONE, _fail_on, watch_csp
from tests.e2e.test_citizen_journey import axe_violations
from tests.training import builders, quiz_builders
from training.models import Certificate, LessonProgress, QuestionCategory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CLIP_SECONDS = 5


def _clip(path):
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"testsrc2=size=320x240:rate=15:duration={CLIP_SECONDS}",
         "-f", "lavfi", "-i", f"sine=frequency=440:duration={CLIP_SECONDS}", "-c:v", "libx264", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-shortest", "-movflags", "+faststart", str(path)],
        check=True,
    )  # fmt: skip


@pytest.fixture
def path(transactional_db, tmp_path):
    clip = tmp_path / "lesson.mp4"
    _clip(clip)
    _, index = factories.make_site()
    video = factories.make_video(
        subtitles="approved", cues=[(0.0, 2.0, "打开应用"), (2.0, 4.5, "点击社保查询")], duration=CLIP_SECONDS
    )
    with open(clip, "rb") as handle:
        video.rendition.save("lesson.mp4", File(handle), save=False)
    VideoAsset.objects.filter(pk=video.pk).update(rendition=video.rendition.name)
    tutorial = factories.attach_video(factories.make_tutorial(index, publish=False, steps=2), video, step=0)
    tutorial.get_latest_revision().publish()
    tutorial.refresh_from_db()

    tree = builders.tree()
    learner = builders.staff("李小明", tree["office"], number="A001")
    category, _ = QuestionCategory.objects.get_or_create(name="社保")
    quiz_builders.add(quiz_builders.SINGLE, category)
    quiz_builders.add(quiz_builders.TRUE_FALSE, category)
    quiz = quiz_builders.quiz(category, count=2)
    course = builders.course(
        "社保业务入门",
        departments=[tree["county"]],
        lessons=[{"title": "看视频学查社保", "video": video, "tutorial": tutorial, "quiz": quiz}],
    )
    return {"learner": learner, "course": course, "lesson": course.lessons.get(), "quiz": quiz}


def _check(page, name: str, found: list) -> None:
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    found.extend((name, v) for v in serious)


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_a_learner_watches_takes_the_quiz_passes_and_opens_the_certificate(live_server, browser, path, elder):
    base = live_server.url
    context = browser.new_context(**PHONE, locale="zh-CN")
    if elder:
        context.add_cookies([{"name": MODE_COOKIE, "value": "elder", "url": base}])
    violations = watch_csp(context)
    page = context.new_page()
    found: list = []
    try:
        page.goto(base + reverse("training:login"))
        page.fill("#id_username", "A001")
        page.fill("#id_password", "pw")
        with page.expect_navigation():
            page.locator("form.learn-form button[type=submit]").click()
        assert page.url == base + reverse("training:my_learning")
        assert ("elder" in (page.locator("html").get_attribute("class") or "")) is elder
        _check(page, "my learning", found)

        with page.expect_navigation():
            page.get_by_role("link", name="社保业务入门").click()
        _check(page, "course", found)
        with page.expect_navigation():
            page.get_by_role("link", name="看视频学查社保").first.click()
        page.wait_for_function("() => document.querySelector('video[data-watch]').readyState >= 1")
        _check(page, "lesson", found)

        # Played through at normal speed (the server refuses more seconds than could have been played).
        page.evaluate("() => { const v = document.querySelector('video[data-watch]'); v.muted = true; v.play(); }")
        page.wait_for_function("() => document.querySelector('video[data-watch]').ended", timeout=60_000)
        page.wait_for_function("() => document.querySelector('[data-watched-progress]').value >= 95")
        progress = LessonProgress.objects.get(user=path["learner"].user, lesson=path["lesson"])
        assert progress.complete and progress.completed_by == "watched"
        assert progress.watched_seconds >= 0.95 * CLIP_SECONDS
        assert not Certificate.objects.exists()  # the lesson's quiz is still to pass

        page.goto(base + reverse("training:quiz", args=[path["quiz"].pk]))
        _check(page, "quiz", found)
        with page.expect_navigation():
            page.locator("[data-start-quiz]").click()
        assert re.search(r"/learn/attempts/\d+/$", page.url)
        _check(page, "attempt", found)
        page.locator("fieldset[data-type=single] label", has_text="人社窗口").locator("input").check()
        page.locator("fieldset[data-type=true_false] input[value=true]").check()
        with page.expect_navigation():
            page.locator("[data-submit]").click()
        assert page.locator("[data-attempt-result]").get_attribute("data-passed") == "true"
        _check(page, "result", found)

        certificate = Certificate.objects.get(user=path["learner"].user, course=path["course"])
        with page.expect_navigation():
            page.get_by_role("link", name="我的学习").first.click()
        card = page.locator(f"[data-certificate='{certificate.pk}']")
        assert card.is_visible()
        with page.expect_navigation():
            card.locator("[data-certificate-open]").click()
        page.wait_for_function("() => document.querySelector('[data-certificate-image]').complete")
        assert page.evaluate("() => document.querySelector('[data-certificate-image]').naturalWidth") > 1000
        _check(page, "certificate", found)
        with page.expect_navigation():
            page.locator("[data-certificate-verify]").click()
        assert page.locator("[data-certificate-name]").inner_text() == "李*明"
        assert page.locator("[data-certificate-state]").get_attribute("data-certificate-state") == "valid"
        assert "李小明" not in page.content()
        _check(page, "verify", found)
        scroll = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll <= PHONE["viewport"]["width"], f"the check page scrolls sideways on a phone ({scroll}px)"
    finally:
        context.close()
    assert found == [], found
    _fail_on(violations)
