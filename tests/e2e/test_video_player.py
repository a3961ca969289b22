"""The public player in Chromium: subtitles on by default, transcript seeks, #t= deep links, no-JS fallback."""

import subprocess

import pytest
from django.core.files import File

from media.models import VideoAsset
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CUES = [(0.0, 1.5, "打开手机上的应用"), (1.5, 3.0, "点击社保查询"), (3.0, 5.5, "查看缴费记录")]


@pytest.fixture
def video_page(transactional_db, tmp_path):
    clip = tmp_path / "clip.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=320x240:rate=15:duration=6",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=6",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            "-shortest",
            "-movflags",
            "+faststart",
            str(clip),
        ],
        check=True,
    )
    _, index = factories.make_site()
    video = factories.make_video(subtitles="approved", cues=CUES, duration=6)
    with open(clip, "rb") as handle:
        video.rendition.save("clip.mp4", File(handle), save=False)
    VideoAsset.objects.filter(pk=video.pk).update(rendition=video.rendition.name)
    page = factories.make_tutorial(index, publish=False, steps=2)
    page = factories.attach_video(page, video, step=1)
    page.get_latest_revision().publish()
    page.refresh_from_db()
    return page, video


def test_track_cues_transcript_and_deep_link(live_server, video_page, phone, screenshot_dir):
    page, video = video_page
    phone.goto(f"{live_server.url}{page.url}#t=3&v={video.pk}")
    video_el = phone.locator("#step-2 video")
    # The deep link opened the step that holds the video and sought to 3 s.
    assert phone.locator("#step-2 [data-step-body]").is_visible()
    phone.wait_for_function("() => document.querySelector('#step-2 video').readyState >= 1")
    phone.wait_for_function("() => Math.abs(document.querySelector('#step-2 video').currentTime - 3) < 0.2")
    # The phone version comes through the gated view (the page is live and public), which answers ranges.
    assert video_el.get_attribute("src") == f"/videos/{video.pk}/phone.mp4#t=0,6"
    assert phone.evaluate("document.querySelector('#step-2 video').seekable.end(0)") > 5
    video_el.evaluate("v => { v.muted = true; return v.play(); }")
    phone.wait_for_function("() => document.querySelector('#step-2 video').currentTime > 3.3")
    video_el.evaluate("v => v.pause()")
    # The browser loaded the subtitle track and shows it by default.
    phone.wait_for_function(
        """() => { const t = document.querySelector('#step-2 video').textTracks[0];
                   return t && t.mode === 'showing' && t.cues && t.cues.length === 3; }"""
    )
    cues = phone.evaluate(
        "Array.from(document.querySelector('#step-2 video').textTracks[0].cues).map(c => [c.startTime, c.text])"
    )
    assert cues == [[0, "打开手机上的应用"], [1.5, "点击社保查询"], [3, "查看缴费记录"]]
    # A click on a transcript line seeks there and highlights it.
    phone.locator("#step-2 .transcript__line", has_text="点击社保查询").click()
    phone.wait_for_function("() => Math.abs(document.querySelector('#step-2 video').currentTime - 1.5) < 0.6")
    video_el.evaluate("v => v.pause()")
    phone.wait_for_selector("#step-2 .transcript__line[aria-current=true]")
    phone.screenshot(path=screenshot_dir / "video-step.png", full_page=True)

    # Elder mode makes captions larger.
    normal = phone.evaluate("getComputedStyle(document.documentElement).fontSize")
    phone.locator("button[data-mode-toggle]").click()
    phone.wait_for_load_state()
    assert "elder" in phone.locator("html").get_attribute("class")
    assert phone.evaluate("getComputedStyle(document.documentElement).fontSize") != normal


def test_video_and_transcript_without_javascript(live_server, video_page, phone_without_js):
    page, _ = video_page
    phone_without_js.goto(live_server.url + page.url)
    assert phone_without_js.locator("#step-2 video[controls]").is_visible()
    assert phone_without_js.locator("#step-2 .transcript__line").all_inner_texts()[2].endswith("查看缴费记录")
