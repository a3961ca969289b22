"""The whole editor's and moderator's path in Chromium, two people in two browser contexts: a tutorial with a
screenshot uploaded from its step and a video chosen from its step; the video's subtitles and then the tutorial
approved by a second person, the tutorial approved from its edit view, and live for citizens."""

import pytest
from django.urls import reverse

from cms import roles
from media import selectors
from media.models import VideoAsset
from tests import factories
from tests.e2e.conftest import watch_csp
from tests.e2e.test_moderation import DESKTOP, admin_login
from tutorials.models import TutorialPage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CUES = [(0.0, 2.0, "打开手机上的应用"), (2.0, 4.0, "点击社保查询")]


def _public_lines(video) -> list[str]:
    return [cue.text for cue in selectors.video_track(asset=VideoAsset.objects.get(pk=video.pk)).cues]


@pytest.fixture
def setting(transactional_db, tmp_path):
    _, index = factories.make_site()
    factories.make_user("editor", roles.EDITORS)
    factories.make_user("moderator", roles.MODERATORS)
    factories.make_category()
    video = factories.make_video(title="查询演示视频", subtitles="auto", cues=CUES, duration=6, machine_made=True)
    screenshot = tmp_path / "shebao-shouye.png"
    screenshot.write_bytes(factories.png_bytes())
    return index, video, screenshot


def test_editor_and_moderator_take_a_tutorial_live(live_server, browser, setting, screenshot_dir, settings):
    # Wagtail's autosave would create the page on its own schedule, racing the editor's "save draft" click;
    # here the editor saves explicitly, as with autosave off.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    index, video, screenshot = setting
    editor_context = browser.new_context(**DESKTOP, locale="zh-CN")
    moderator_context = browser.new_context(**DESKTOP, locale="zh-CN")
    violations = [watch_csp(editor_context), watch_csp(moderator_context)]
    editor, moderator = editor_context.new_page(), moderator_context.new_page()
    base = live_server.url
    try:
        admin_login(editor, base, "editor")
        admin_login(moderator, base, "moderator")

        # The editor writes the tutorial: a screenshot uploaded from the step, the video chosen from the step.
        editor.goto(f"{base}{reverse('wagtailadmin_pages:add', args=('tutorials', 'tutorialpage', index.pk))}")
        editor.fill("#id_title", "查询社保缴费记录")
        editor.fill("#id_summary", "用手机查询本人的社保缴费记录。")
        editor.locator("input[name=category]").first.check()
        editor.fill("#id_last_reviewed", "2026-11-01")
        editor.locator("[data-contentpath=steps] button.c-sf-add-button").first.click()
        editor.fill("#steps-0-value-title", "打开应用")
        editor.fill("#steps-0-value-text", "点击首页的“社保”图标。")
        editor.locator("#steps-0-value-screenshots-0-value-image-chooser .chooser__choose-button").click()
        modal = editor.locator(".modal")
        modal.locator("#tab-label-upload").click()
        modal.locator("input[type=file][name=image-chooser-upload-file]").set_input_files(screenshot)
        editor.wait_for_function(
            "() => document.querySelector('.modal input[name=image-chooser-upload-title]').value !== ''"
        )
        modal.locator("[name=image-chooser-upload-description]").fill("社保应用首页")
        modal.locator("form[data-chooser-modal-creation-form] button[type=submit]").click()
        editor.wait_for_function(
            "() => document.getElementById('steps-0-value-screenshots-0-value-image-title').textContent.trim()"
            " === 'shebao-shouye'"
        )
        editor.locator("#steps-0-value-video-chooser .chooser__choose-button").click()
        editor.locator(".modal tbody tr", has_text="查询演示视频").locator("a").first.click()
        editor.wait_for_function(
            "() => document.getElementById('steps-0-value-video-title').textContent.trim() === '查询演示视频'"
        )
        with editor.expect_navigation(url="**/edit/**"):
            editor.locator("footer button.action-save").first.click()
        tutorial = TutorialPage.objects.get(title="查询社保缴费记录")
        step = tutorial.get_latest_revision_as_object().steps[0].value
        assert step["video"].pk == video.pk and step["screenshots"][0]["image"].title == "shebao-shouye"

        # The editor corrects the machine's subtitles and submits them; a moderator approves them.
        editor.goto(f"{base}{reverse('video_subtitles_edit', args=(video.pk,))}")
        editor.locator("textarea[name=text]").first.fill("打开手机上的“掌上12333”")
        with editor.expect_navigation():
            editor.locator("button[name=submit]").click()
        assert _public_lines(video) == []  # nothing public yet
        moderator.goto(f"{base}{reverse('video_subtitles_edit', args=(video.pk,))}")
        with moderator.expect_navigation():
            moderator.locator("button[name=approve]").click()
        assert _public_lines(video)[:1] == ["打开手机上的“掌上12333”"]

        # The editor submits the tutorial; the moderator approves it from its edit view.
        editor.goto(f"{base}{reverse('wagtailadmin_pages:edit', args=(tutorial.pk,))}")
        submit = editor.locator("footer button[name=action-submit]")
        if not submit.is_visible():
            editor.locator("footer [data-w-dropdown-target='toggle']").last.click()
        with editor.expect_navigation():
            submit.click()
        tutorial.refresh_from_db()
        assert tutorial.current_workflow_state is not None, editor.locator(".messages").inner_text()

        moderator.goto(f"{base}{reverse('wagtailadmin_pages:edit', args=(tutorial.pk,))}")
        approve = moderator.locator(
            'footer button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'
        )
        if not approve.is_visible():
            moderator.locator("footer [data-w-dropdown-target='toggle']").last.click()
        with moderator.expect_navigation():
            approve.click()
        tutorial.refresh_from_db()
        assert tutorial.live, moderator.locator(".messages").inner_text()
        assert tutorial.live_revision.user.username == "editor"

        # Live for citizens, with the approved subtitles.
        citizen = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        violations.append(watch_csp(citizen))
        page = citizen.new_page()
        response = page.goto(f"{base}{tutorial.url}")
        assert response.status == 200
        assert "打开手机上的“掌上12333”" in page.content()
        page.screenshot(path=screenshot_dir / "review-path-live.png")
        citizen.close()
    except Exception:
        editor.screenshot(path=screenshot_dir / "review-path-editor-failure.png")
        moderator.screenshot(path=screenshot_dir / "review-path-moderator-failure.png")
        raise
    finally:
        editor_context.close()
        moderator_context.close()
    assert not any(violations), violations
