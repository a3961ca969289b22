"""Screenshots and videos from the tutorial step, as an editor does it in Chromium (zh-CN admin, desktop)."""

import subprocess

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from cms import roles
from media.models import VideoAsset
from tests import factories
from tests.e2e.conftest import watch_csp
from tests.e2e.test_moderation import DESKTOP, admin_login
from tutorials.models import TutorialPage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def jpeg_bytes() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (160, 90), "#2266aa").save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def index_page(transactional_db):
    _, index = factories.make_site()
    factories.make_user("editor", roles.EDITORS)
    factories.make_category()
    return index


@pytest.fixture
def processed_video(index_page):
    video = factories.make_video(title="已处理的演示", subtitles="approved")
    video.poster.save(f"{video.pk}.jpg", ContentFile(jpeg_bytes()), save=True)
    return video


@pytest.fixture
def clip(tmp_path):
    path = tmp_path / "ban-shi-yan-shi.mp4"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
         "testsrc2=size=320x240:rate=25:duration=2", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         str(path)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return path


@pytest.fixture
def screenshot_png(tmp_path):
    path = tmp_path / "shebao-shouye.png"
    path.write_bytes(factories.png_bytes())
    return path


def test_editor_uploads_a_screenshot_and_a_video_from_the_step(
    live_server, browser, index_page, processed_video, clip, screenshot_png, screenshot_dir, settings
):
    # The editor saves explicitly; Wagtail's autosave would otherwise race that click into a second create.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    context = browser.new_context(**DESKTOP, locale="zh-CN")
    violations = watch_csp(context)
    page = context.new_page()
    try:
        admin_login(page, live_server.url, "editor")
        add_url = reverse("wagtailadmin_pages:add", args=("tutorials", "tutorialpage", index_page.pk))
        page.goto(f"{live_server.url}{add_url}")
        page.fill("#id_title", "查询社保缴费记录")
        page.fill("#id_summary", "用手机查询本人的社保缴费记录。")
        page.locator("input[name=category]").first.check()
        page.fill("#id_last_reviewed", "2026-11-01")
        page.locator("[data-contentpath=steps] button.c-sf-add-button").first.click()
        page.fill("#steps-0-value-title", "打开应用")
        page.fill("#steps-0-value-text", "点击首页的“社保”图标。")

        # The screenshot, uploaded from the step: the title comes from the file name, the description becomes
        # the alt text.
        page.locator("#steps-0-value-screenshots-0-value-image-chooser .chooser__choose-button").click()
        modal = page.locator(".modal")
        modal.locator("#tab-label-upload").click()
        modal.locator("input[type=file][name=image-chooser-upload-file]").set_input_files(screenshot_png)
        title = modal.locator("input[name=image-chooser-upload-title]")
        page.wait_for_function(
            "() => document.querySelector('.modal input[name=image-chooser-upload-title]').value !== ''"
        )
        assert title.input_value() == "shebao-shouye"
        modal.locator("[name=image-chooser-upload-description]").fill("社保应用首页，底部有“查询”按钮")
        page.screenshot(path=screenshot_dir / "editor-screenshot-upload.png")
        modal.locator("form[data-chooser-modal-creation-form] button[type=submit]").click()
        page.wait_for_function(
            "() => document.getElementById('steps-0-value-screenshots-0-value-image-title').textContent.trim()"
            " === 'shebao-shouye'"
        )
        assert page.input_value("#steps-0-value-screenshots-0-value-alt") == "社保应用首页，底部有“查询”按钮"

        # The video chooser lists posters and states, and uploads.
        page.locator("#steps-0-value-video-chooser .chooser__choose-button").click()
        modal = page.locator(".modal")
        row = modal.locator("tbody tr", has_text="已处理的演示")
        poster = row.locator("img[data-video-poster]")
        poster.wait_for()
        page.wait_for_function("() => document.querySelector('.modal img[data-video-poster]').naturalWidth > 0")
        assert "处理完成" in row.inner_text()
        assert row.locator("[data-subtitles-state=approved]").count() == 1
        page.screenshot(path=screenshot_dir / "editor-video-chooser.png")
        modal.locator("#tab-label-create").click()
        modal.locator("input[name=video-chooser-upload-title]").fill("办事演示")
        modal.locator("input[name=video-chooser-upload-file]").set_input_files(clip)
        modal.locator("form[data-chooser-modal-creation-form] button[type=submit]").click()
        page.wait_for_function(
            "() => document.getElementById('steps-0-value-video-title').textContent.trim() === '办事演示'",
            timeout=120_000,
        )
        uploaded = VideoAsset.objects.get(title="办事演示")
        assert uploaded.uploaded_by.username == "editor"
        assert page.input_value("#steps-0-value-video") == str(uploaded.pk)

        page.locator("footer button.action-save").first.click()
        page.wait_for_url("**/edit/**", wait_until="domcontentloaded")
        saved = TutorialPage.objects.get(title="查询社保缴费记录").get_latest_revision_as_object()
        step = saved.steps[0].value
        assert step["screenshots"][0]["image"].title == "shebao-shouye"
        assert step["screenshots"][0]["alt"] == "社保应用首页，底部有“查询”按钮"
        assert step["video"].pk == uploaded.pk

        # The cue editor: time fields with a visible border, text boxes tall enough for a whole two-line cue,
        # links to the video and to the tutorial just saved.
        page.goto(f"{live_server.url}{reverse('video_subtitles_edit', args=(processed_video.pk,))}")
        border = page.eval_on_selector(
            "input[name=start]", "(el) => [getComputedStyle(el).borderTopWidth, getComputedStyle(el).borderTopColor]"
        )
        assert border[0] != "0px" and border[1] not in ("rgba(0, 0, 0, 0)", "transparent"), border
        fits = page.eval_on_selector(
            "textarea[name=text]",
            "(el) => { el.value = '打开手机上的应用\\n点击查询'; return el.scrollHeight <= el.clientHeight; }",
        )
        assert fits
        page.screenshot(path=screenshot_dir / "editor-cue-editor.png")
    except Exception:
        page.screenshot(path=screenshot_dir / "editor-path-failure.png")
        raise
    finally:
        context.close()
    assert not violations, violations
