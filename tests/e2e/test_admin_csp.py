"""Bangban's own admin pages in Chromium under the admin's Content-Security-Policy (no inline styles): the video
status page and panel, the subtitle editor and review, the step feedback report and the search reports."""

import pytest
from django.urls import reverse

from media.models import VideoAsset
from search.models import IndexOutbox, ZeroResultQuery
from tests import factories
from tests.e2e.conftest import watch_csp
from tests.e2e.test_moderation import DESKTOP, admin_login
from tutorials.models import StepFeedback

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_data(transactional_db):
    _, index = factories.make_site()
    tutorial = factories.make_tutorial(index, steps=3)
    first, _second, third = tutorial.step_ids()
    for helpful in (True, True, False):
        StepFeedback.objects.create(page=tutorial, step_id=first, helpful=helpful)
    StepFeedback.objects.create(page=tutorial, step_id=third, helpful=False)
    ready = factories.make_video(title="查询演示", subtitles="auto")
    processing = factories.make_video(title="处理中的视频", status="processing", subtitles="none")
    VideoAsset.objects.filter(pk=processing.pk).update(stage="transcode")
    ZeroResultQuery.objects.create(query="公积金提取", count=3)
    IndexOutbox.objects.create(page_id=tutorial.pk, action="index", attempts=2, last_error="mapper_parsing_exception")
    factories.make_user("boss", superuser=True)
    return {"tutorial": tutorial, "ready": ready, "processing": processing}


@pytest.fixture
def admin_page(browser, live_server):
    context = browser.new_context(**DESKTOP, locale="zh-CN")
    violations = watch_csp(context)
    page = context.new_page()
    yield page, violations
    context.close()


def test_bangban_admin_pages_raise_no_csp_violation(live_server, admin_data, admin_page, screenshot_dir):
    page, violations = admin_page
    base = live_server.url
    ready, processing = admin_data["ready"], admin_data["processing"]
    admin_login(page, base, "boss")

    # The step feedback report draws its bars from a stylesheet: 2 of 3 helpful is a 67 % meter, 12rem wide.
    page.goto(base + reverse("step_feedback_report"))
    meters = page.locator("meter.feedback-share")
    assert meters.count() == 2
    assert [meters.nth(i).get_attribute("value") for i in range(2)] == ["67", "0"]
    assert meters.first.bounding_box()["width"] == pytest.approx(192, abs=1)
    page.screenshot(path=screenshot_dir / "admin-step-feedback.png", full_page=True)

    # The status page of a video being processed polls its JSON from a script file and keeps its styled bar.
    status_url = base + reverse("video_status", args=(processing.pk,))
    with page.expect_request(lambda request: "format=json" in request.url, timeout=10_000):
        page.goto(status_url)
    progress = page.locator("[data-video-status] progress.video-status__progress")
    assert progress.bounding_box()["height"] == pytest.approx(24, abs=1)
    page.screenshot(path=screenshot_dir / "admin-video-status.png", full_page=True)

    # The same status, as a panel on the video's edit page, polls too.
    with page.expect_request(lambda request: "format=json" in request.url, timeout=10_000):
        page.goto(base + reverse("wagtailsnippets_bangban_media_videoasset:edit", args=(processing.pk,)))
    assert page.locator("[data-video-status] progress.video-status__progress").is_visible()
    # This video's worker stopped answering: Retry is offered, and the panel keeps its page (a retry form nested in
    # the edit form used to vanish, and the script reloaded the page every two seconds looking for it).
    page.wait_for_timeout(2500)
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    assert page.evaluate("() => performance.getEntriesByType('navigation')[0].type") == "navigate"
    with page.expect_navigation():
        page.locator("[data-video-status] [data-retry] button").click()
    assert VideoAsset.objects.get(pk=processing.pk).status != VideoAsset.Status.PROCESSING
    assert VideoAsset.objects.get(pk=processing.pk).title == "处理中的视频"

    for url in (
        reverse("video_status", args=(ready.pk,)),
        reverse("wagtailsnippets_bangban_media_videoasset:list"),
        reverse("wagtailsnippets_bangban_media_videoasset:edit", args=(ready.pk,)),
        reverse("video_subtitles_edit", args=(ready.pk,)),
        reverse("wagtailsnippets_bangban_media_subtitletrack:edit", args=(ready.subtitle_track.pk,)),
        reverse("search_content_gaps"),
        reverse("search_content_gaps_clear"),
        reverse("search_index_problems"),
    ):
        response = page.goto(base + url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")
    assert page.locator("text=mapper_parsing_exception").is_visible()

    # The subtitle editor laid out from its stylesheet: the video beside the cue table, not above it.
    page.goto(base + reverse("video_subtitles_edit", args=(ready.pk,)))
    assert page.locator("[data-cue-table] textarea").first.input_value() == "打开手机上的应用"
    video_box = page.locator(".cue-editor__video").bounding_box()
    form_box = page.locator(".cue-editor__form").bounding_box()
    assert video_box["x"] + video_box["width"] <= form_box["x"]

    assert violations == [], "\n".join(violations)
