"""One video per step in Chromium at 390x844, standard and elder mode, JavaScript on and off: each step's player
plays only its chapter with only its subtitles and transcript, one sounds at a time, a closed step loads nothing of
its video, the poster is a frame of the chapter and the control bar has its own band below the picture."""

import io
import subprocess

import pytest
from django.core.files import File
from PIL import Image

from media.models import VideoAsset
from tests import factories

from .conftest import PHONE, _fail_on, watch_csp

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Three chapters of one portrait clip, each its own colour, with sub-second change points.
CHAPTERS = [(0.0, 2.5, "red"), (2.5, 5.25, "lime"), (5.25, 8.0, "blue")]
RGB = {"red": (255, 0, 0), "lime": (0, 255, 0), "blue": (0, 0, 255)}
CUES = [
    (0.0, 2.5, "第一步打开\n应用"),
    (2.5, 4.0, "第二步点击"),
    (4.0, 5.25, "社保查询"),
    (5.25, 8.0, "第三步查看记录"),
]


def coloured_clip(path):
    inputs, labels = [], []
    for index, (start, end, colour) in enumerate(CHAPTERS):
        inputs += ["-f", "lavfi", "-i", f"color=c={colour}:s=320x480:r=20:d={end - start}"]
        labels.append(f"[{index}:v]")
    subprocess.run(
        [
            "ffmpeg", "-v", "error", *inputs,
            "-f", "lavfi", "-i", "sine=frequency=440:duration=8",
            "-filter_complex", "".join(labels) + f"concat=n={len(CHAPTERS)}:v=1:a=0[v]",
            "-map", "[v]", "-map", f"{len(CHAPTERS)}:a",
            "-c:v", "libx264", "-g", "5", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
            "-movflags", "+faststart", str(path),
        ],
        check=True,
    )  # fmt: skip


@pytest.fixture
def chapter_page(transactional_db, tmp_path):
    clip = tmp_path / "clip.mp4"
    coloured_clip(clip)
    _, index = factories.make_site()
    video = factories.make_video(subtitles="approved", cues=CUES, duration=8.0)
    with open(clip, "rb") as handle:
        video.rendition.save("clip.mp4", File(handle), save=False)
    with open(clip, "rb") as handle:  # any poster: the chapter posters replace it once made
        video.poster.save("poster.jpg", File(io.BytesIO(jpeg("black"))), save=False)
    VideoAsset.objects.filter(pk=video.pk).update(
        rendition=video.rendition.name, poster=video.poster.name, width=320, height=480
    )
    page = factories.make_tutorial(index, publish=False, steps=4)
    for step, (start, _, _) in enumerate(CHAPTERS):
        page = factories.attach_video(page, video, step=step, start=start)
    # Publishing makes the chapter posters (the task runs at once under the test settings).
    page.get_latest_revision().publish()
    page.refresh_from_db()
    return page, video


def jpeg(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, "JPEG")
    return out.getvalue()


def close_to(rgb, colour: str, tolerance: int = 60) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(rgb[:3], RGB[colour], strict=True))


@pytest.fixture(params=["standard", "elder"])
def mode(request):
    return request.param


@pytest.fixture
def context(browser, live_server, mode):
    context = browser.new_context(**PHONE, locale="zh-CN")
    if mode == "elder":
        context.add_cookies([{"name": "bangban_mode", "value": "elder", "url": live_server.url}])
    violations = watch_csp(context)
    yield context
    context.close()
    _fail_on(violations)


@pytest.fixture
def context_without_js(browser, live_server, mode):
    context = browser.new_context(**PHONE, locale="zh-CN", java_script_enabled=False)
    if mode == "elder":
        context.add_cookies([{"name": "bangban_mode", "value": "elder", "url": live_server.url}])
    violations = watch_csp(context)
    yield context
    context.close()
    _fail_on(violations)


def video_requests(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url) if "/videos/" in request.url else None)
    return seen


def frame_colour(page, step: int):
    """The colour in the middle of the frame the step's player shows now."""
    return page.evaluate(
        """(n) => { const v = document.querySelector('#step-' + n + ' video');
                    const c = document.createElement('canvas'); c.width = v.videoWidth; c.height = v.videoHeight;
                    const g = c.getContext('2d'); g.drawImage(v, 0, 0);
                    return Array.from(g.getImageData(c.width / 2, c.height / 2, 1, 1).data); }""",
        step,
    )


def test_closed_steps_load_nothing_and_an_open_one_metadata_only(live_server, chapter_page, context, mode):
    page, video = chapter_page
    phone = context.new_page()
    requests = video_requests(phone)
    phone.goto(live_server.url + page.url)
    # An open step's player is put in place once it is on screen.
    phone.evaluate("document.querySelector('#step-1 [data-player]').scrollIntoView()")
    phone.wait_for_function(
        "() => { const v = document.querySelector('#step-1 video'); return v && v.readyState >= 1; }"
    )
    phone.wait_for_load_state("networkidle")
    # Step 1 is open: its player, poster and chapter subtitles only. Steps 2-4 are closed: nothing at all.
    assert phone.locator("#step-2 video").count() == 0 and phone.locator("#step-3 video").count() == 0
    assert any(f"/videos/{video.pk}/phone.mp4" in url for url in requests)
    assert any("subtitles.vtt?start=0&end=2.5" in url for url in requests)
    assert any(url.endswith(f"/videos/{video.pk}/poster-0.jpg") for url in requests)
    for other in ("start=2.5", "start=5.25", "poster-250", "poster-525"):
        assert not any(other in url for url in requests), (other, requests)
    assert phone.evaluate("document.querySelector('#step-1 video').preload") == "metadata"
    assert phone.evaluate("document.querySelector('#step-1 video').paused")
    # Opening step 2 loads its player: its own chapter's poster and subtitles.
    phone.locator("#step-2 .step__toggle").click()
    phone.evaluate("document.querySelector('#step-2 [data-player]').scrollIntoView()")
    phone.wait_for_function(
        "() => { const v = document.querySelector('#step-2 video'); return v && v.readyState >= 1; }"
    )
    assert any("subtitles.vtt?start=2.5&end=5.25" in url for url in requests)
    assert any(url.endswith(f"/videos/{video.pk}/poster-250.jpg") for url in requests)
    assert not any("start=5.25" in url for url in requests)


def test_each_player_plays_only_its_chapter(live_server, chapter_page, context, mode, screenshot_dir):
    page, video = chapter_page
    phone = context.new_page()
    phone.goto(f"{live_server.url}{page.url}#step-2")
    phone.evaluate("document.querySelector('#step-2 [data-player]').scrollIntoView()")
    phone.wait_for_function(
        "() => { const v = document.querySelector('#step-2 video'); return v && v.readyState >= 2; }"
    )
    # The media fragment put it at its chapter's start, on the chapter's own picture.
    assert abs(phone.evaluate("document.querySelector('#step-2 video').currentTime") - 2.5) < 0.15
    assert close_to(frame_colour(phone, 2), "lime")
    # Only the chapter's subtitles and transcript, the transcript as flowing text.
    phone.wait_for_function(
        """() => { const t = document.querySelector('#step-2 video').textTracks[0];
                   return t && t.mode === 'showing' && t.cues && t.cues.length === 2; }"""
    )
    cues = phone.evaluate(
        "Array.from(document.querySelector('#step-2 video').textTracks[0].cues).map(c => [c.startTime, c.text])"
    )
    assert cues == [[2.5, "第二步点击"], [4, "社保查询"]]
    if mode == "elder":
        assert not phone.locator("#step-2 .transcript__text").is_visible()
        phone.locator("#step-2 summary").click()
    assert phone.locator("#step-2 .transcript__text").inner_text() == "第二步点击社保查询"
    # Played through, it stops at the chapter's end on the chapter's picture, not the next step's.
    phone.evaluate("document.querySelector('#step-2 video').muted = true")
    phone.locator("#step-2 video").evaluate("v => v.play()")
    phone.wait_for_function("() => document.querySelector('#step-2 video').currentTime > 3")
    phone.wait_for_function("() => document.querySelector('#step-2 video').paused")
    stopped = phone.evaluate("document.querySelector('#step-2 video').currentTime")
    assert 4.9 < stopped <= 5.25
    phone.wait_for_function("() => document.querySelector('#step-2 video').readyState >= 2")
    assert close_to(frame_colour(phone, 2), "lime")
    # The box leaves a band below the picture for the control bar, so the bar covers none of the picture.
    band = phone.evaluate(
        """() => { const v = document.querySelector('#step-2 video');
                   return v.clientHeight - v.clientWidth * v.videoHeight / v.videoWidth; }"""
    )
    assert band >= 44
    phone.screenshot(path=screenshot_dir / f"step-video-{mode}.png", full_page=True)


def test_one_player_sounds_at_a_time(live_server, chapter_page, context, mode):
    page, _ = chapter_page
    phone = context.new_page()
    phone.goto(live_server.url + page.url)
    phone.locator("[data-show-all]").click()
    for step in (1, 2):
        phone.evaluate(f"document.querySelector('#step-{step} [data-player]').scrollIntoView()")
        phone.wait_for_selector(f"#step-{step} video", state="attached")
    phone.evaluate("document.querySelectorAll('video').forEach(v => { v.muted = true; })")
    phone.locator("#step-1 video").evaluate("v => v.play()")
    phone.wait_for_function("() => !document.querySelector('#step-1 video').paused")
    # Playing step 3 from its transcript pauses step 1.
    if mode == "elder":
        phone.locator("#step-3 summary").click()
    phone.locator("#step-3 .transcript__line", has_text="第三步查看记录").click()
    phone.wait_for_function("() => { const v = document.querySelector('#step-3 video'); return v && !v.paused; }")
    # paused turns false when play() is called; the "play" event that pauses the others follows as a task.
    phone.wait_for_function("() => document.querySelector('#step-1 video').paused", timeout=10_000)
    assert phone.evaluate("document.querySelector('#step-3 video').currentTime") >= 5.2
    phone.locator("#step-2 video").evaluate("v => v.play()")
    phone.wait_for_function("() => !document.querySelector('#step-2 video').paused")
    phone.wait_for_function("() => document.querySelector('#step-3 video').paused", timeout=10_000)


def test_without_javascript_the_fragment_and_transcript_give_the_chapter(
    live_server, chapter_page, context_without_js, mode
):
    page, video = chapter_page
    phone = context_without_js.new_page()
    requests = video_requests(phone)
    phone.goto(live_server.url + page.url)
    player = phone.locator("#step-3 video")
    assert player.is_visible()
    assert player.get_attribute("src") == f"/videos/{video.pk}/phone.mp4#t=5.25,8"
    assert player.get_attribute("preload") == "none"
    text = phone.locator("#step-3 .transcript__text")
    if mode == "elder":
        assert not text.is_visible()
        phone.locator("#step-3 summary", has_text="看文字").click()
    assert text.inner_text() == "第三步查看记录"
    assert phone.locator("#step-2 .transcript__text").text_content() == "第二步点击社保查询"
    # Before play the box has the band below the 320x480 picture for the control bar.
    assert player.evaluate("v => v.clientHeight - v.clientWidth * 480 / 320") >= 44
    # Every step is open without JavaScript: posters and the small chapter subtitle files load, the video waits.
    assert not any("phone.mp4" in url for url in requests), requests


def test_the_poster_is_a_frame_of_the_chapter(live_server, chapter_page, context):
    page, video = chapter_page
    phone = context.new_page()
    for centiseconds, colour in ((0, "red"), (250, "lime"), (525, "blue")):
        response = phone.request.get(f"{live_server.url}/videos/{video.pk}/poster-{centiseconds}.jpg")
        assert response.ok
        with Image.open(io.BytesIO(response.body())) as image:
            rgb = image.convert("RGB").getpixel((image.width // 2, image.height // 2))
        assert close_to(rgb, colour), (centiseconds, rgb)


def test_a_search_link_in_whole_seconds_opens_the_step_that_says_it(live_server, chapter_page, phone):
    page, video = chapter_page
    # The line "第二步点击" starts at 2.5 s; search links give the second it starts in.
    phone.goto(f"{live_server.url}{page.url}#t=2&v={video.pk}")
    assert phone.locator("#step-2 [data-step-body]").is_visible()
    phone.wait_for_function(
        "() => { const v = document.querySelector('#step-2 video'); return v && v.readyState >= 1; }"
    )
    phone.wait_for_function("() => Math.abs(document.querySelector('#step-2 video').currentTime - 2.5) < 0.1")
    phone.goto(f"{live_server.url}{page.url}#t=6&v={video.pk}")
    phone.wait_for_function(
        "() => { const v = document.querySelector('#step-3 video'); return v && v.readyState >= 1; }"
    )
    phone.wait_for_function("() => Math.abs(document.querySelector('#step-3 video').currentTime - 6) < 0.1")


def test_axe_finds_nothing_on_the_video_tutorial_with_every_step_open(live_server, chapter_page, context, mode):
    from .test_citizen_journey import axe_violations
    from .test_page_basics import open_all_steps

    page, _video = chapter_page
    phone = context.new_page()
    phone.goto(live_server.url + page.url)
    open_all_steps(phone)
    # Every player in place, as a citizen scrolling through the open steps sees them.
    for step in range(1, len(CHAPTERS) + 1):
        phone.evaluate(f"document.querySelector('#step-{step} [data-player]').scrollIntoView()")
        phone.wait_for_function(f"() => document.querySelector('#step-{step} video') !== null")
    assert phone.locator("video").count() == len(CHAPTERS)
    found = axe_violations(phone, enhanced_contrast=mode == "elder")
    assert found == [], found
