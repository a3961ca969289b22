"""Screenshots and videos where the editor is: the image upload, the step's video chooser, the video's states, the
cue editor and the message that stops a tutorial with unreviewed videos."""

import datetime
import io
import json

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from cms import roles
from media import services
from media.models import VideoAsset
from tests import factories
from tests.page_forms import page_form
from tutorials.models import TutorialPage

pytestmark = pytest.mark.django_db

CHOOSER = "wagtailsnippetchoosers_bangban_media_videoasset"


@pytest.fixture
def editor(client, db):
    user = factories.make_user("editor", roles.EDITORS)
    client.force_login(user)
    return user


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.content.decode()[:2000]
    return BeautifulSoup(response.content, "html.parser")


def english(client, url: str, **kwargs):
    with translation.override("en"):
        return client.get(url, HTTP_ACCEPT_LANGUAGE="en", **kwargs)


# Screenshots


def test_the_image_upload_fills_the_title_from_the_file_name(client, editor):
    page = soup(client.get(reverse("wagtailimages:add")))
    file_input = page.select_one("input[type=file][name=file]")
    # Wagtail's own file widget: its w-sync controller sends wagtail:images-upload, which fills an empty title.
    assert file_input["data-controller"] == "w-sync"
    assert file_input["data-w-sync-name-value"] == "wagtail:images-upload"
    assert file_input["data-w-sync-target-value"] == "#id_title"
    assert page.select_one("#id_title") is not None


def test_a_broken_image_is_still_refused(client, editor):
    data = factories.png_bytes()
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "坏图", "file": SimpleUploadedFile("broken.png", data[: len(data) // 3], content_type="image/png")},
    )
    assert response.status_code == 200
    from wagtail.images.models import Image

    assert not Image.objects.filter(title="坏图").exists()


def screenshot_post(client, tutorial_index, *, image, alt: str):
    data = page_form(
        title="查询社保", summary="一句话。", alt=alt, category_id=factories.make_category().pk, image_id=image.pk
    )
    data["slug"] = "cha-xun"
    return client.post(reverse("wagtailadmin_pages:add", args=("tutorials", "tutorialpage", tutorial_index.pk)), data)


def test_an_empty_alt_text_takes_the_images_description(client, editor, tutorial_index):
    image = factories.make_image(title="IMG_0001")
    image.description = "社保应用首页，底部有“查询”按钮"
    image.save()
    response = screenshot_post(client, tutorial_index, image=image, alt="")
    assert response.status_code == 302, response.content.decode()[:3000]
    page = TutorialPage.objects.get(slug="cha-xun").get_latest_revision_as_object()
    assert page.steps[0].value["screenshots"][0]["alt"] == "社保应用首页，底部有“查询”按钮"


def test_an_alt_text_the_editor_typed_stays(client, editor, tutorial_index):
    image = factories.make_image()
    image.description = "图片的说明"
    image.save()
    assert screenshot_post(client, tutorial_index, image=image, alt="本步骤的截图").status_code == 302
    page = TutorialPage.objects.get(slug="cha-xun").get_latest_revision_as_object()
    assert page.steps[0].value["screenshots"][0]["alt"] == "本步骤的截图"


def test_without_a_description_the_alt_text_is_still_required(client, editor, tutorial_index):
    response = screenshot_post(client, tutorial_index, image=factories.make_image(), alt="  ")
    assert response.status_code == 200
    assert not TutorialPage.objects.filter(slug="cha-xun").exists()


def test_the_step_editor_offers_the_description_as_alt_text(client, editor, tutorial_index):
    html = client.get(
        reverse("wagtailadmin_pages:add", args=("tutorials", "tutorialpage", tutorial_index.pk))
    ).content.decode()
    assert "tutorials/js/screenshot_block.js" in html
    assert "tutorials.blocks.ScreenshotBlock" in html


# The step's video chooser


def with_poster(video: VideoAsset) -> VideoAsset:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), "green").save(buffer, "JPEG")
    video.poster.save(f"{video.pk}.jpg", ContentFile(buffer.getvalue()), save=True)
    return video


def test_the_video_chooser_shows_poster_status_and_subtitles(client, editor):
    ready = with_poster(factories.make_video(title="查社保演示", subtitles="approved"))
    factories.make_video(title="刚上传的视频", status="pending", subtitles="none")
    response = english(client, reverse(f"{CHOOSER}:choose"))
    assert response.status_code == 200
    html = json.loads(response.content)["html"]
    page = BeautifulSoup(html, "html.parser")
    rows = {row.get_text(" ", strip=True): row for row in page.select("tbody tr")}
    ready_row = next(row for text, row in rows.items() if "查社保演示" in text)
    queued_row = next(row for text, row in rows.items() if "刚上传的视频" in text)
    poster = ready_row.select_one("img[data-video-poster]")
    assert poster["src"] == reverse("video_poster", args=(ready.pk,))
    assert client.get(poster["src"]).status_code == 200
    assert "Ready" in ready_row.get_text() and "Approved by a second person" in ready_row.get_text()
    # Nothing in a row leads away from the page being edited, except the link that chooses.
    assert [a.get("data-chooser-modal-choice") is not None for a in ready_row.select("a")] == [True]
    assert queued_row.select_one("img") is None
    assert queued_row.select_one("[data-subtitles-state]")["data-subtitles-state"] == "waiting"
    assert "No subtitles" not in queued_row.get_text()
    # The upload tab
    form = page.select_one("form[data-chooser-modal-creation-form]")
    assert form["action"] == reverse(f"{CHOOSER}:create") and form["enctype"] == "multipart/form-data"
    assert form.select_one("input[type=file][name=video-chooser-upload-file]") is not None


def test_uploading_from_the_chooser_chooses_the_new_video(
    client, editor, video_without_audio, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse(f"{CHOOSER}:create"),
            {
                "video-chooser-upload-title": "从步骤上传",
                "video-chooser-upload-language": "zh",
                "video-chooser-upload-file": SimpleUploadedFile(
                    "clip.mp4", video_without_audio.read_bytes(), content_type="video/mp4"
                ),
            },
        )
    assert response.status_code == 200
    data = json.loads(response.content)
    asset = VideoAsset.objects.get(title="从步骤上传")
    assert data["step"] == "chosen" and data["result"]["id"] == str(asset.pk)
    assert asset.uploaded_by == editor and asset.status == VideoAsset.Status.PENDING
    # processing is queued once the upload is committed
    assert [cb for cb in callbacks if cb.__qualname__.startswith("video_enqueue.")]


def test_a_bad_upload_from_the_chooser_is_shown_in_the_form(client, editor, empty_mp4):
    response = client.post(
        reverse(f"{CHOOSER}:create"),
        {
            "video-chooser-upload-title": "空文件",
            "video-chooser-upload-language": "zh",
            "video-chooser-upload-file": SimpleUploadedFile("empty.mp4", b"", content_type="video/mp4"),
        },
    )
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["step"] == "reshow_creation_form" and "error" in data["htmlFragment"]
    assert not VideoAsset.objects.filter(title="空文件").exists()


def test_after_an_upload_from_the_videos_menu_the_editor_sees_its_status(
    client, editor, video_without_audio, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        response = client.post(
            reverse("wagtailsnippets_bangban_media_videoasset:add"),
            {
                "title": "菜单上传",
                "language": "zh",
                "file": SimpleUploadedFile("c.mp4", video_without_audio.read_bytes()),
            },
        )
    asset = VideoAsset.objects.get(title="菜单上传")
    assert response.status_code == 302 and response["Location"] == reverse("video_status", args=(asset.pk,))


# States


def status_page(client, video) -> BeautifulSoup:
    return soup(english(client, reverse("video_status", args=(video.pk,))))


@pytest.mark.parametrize(
    "status, lease_minutes, subtitles_state, retry",
    [
        ("pending", None, "waiting", False),
        ("processing", 5, "processing", False),
        ("processing", -1, "processing", True),  # the worker stopped renewing its lease
        ("failed", None, "failed", True),
    ],
)
def test_retry_only_after_a_failure_or_a_stalled_lease(client, editor, status, lease_minutes, subtitles_state, retry):
    video = factories.make_video(status=status, subtitles="none")
    lease = timezone.now() + datetime.timedelta(minutes=lease_minutes) if lease_minutes is not None else None
    VideoAsset.objects.filter(pk=video.pk).update(lease_until=lease, stage="transcribe" if status != "pending" else "")
    page = status_page(client, video)
    assert (page.select_one("[data-retry] button") is not None) is retry
    assert page.select_one("[data-subtitles-state]")["data-subtitles-state"] == subtitles_state
    assert "No subtitles" not in page.get_text()
    data = english(client, reverse("video_status", args=(video.pk,)) + "?format=json").json()
    assert data["can_retry"] is retry and data["subtitles"] == subtitles_state
    # The button agrees with what the service accepts.
    response = client.post(reverse("video_retry", args=(video.pk,)))
    assert response.status_code == 302
    video.refresh_from_db()
    assert (video.status == VideoAsset.Status.PENDING) is (retry or status == "pending")


def test_a_video_without_speech_says_so_once_the_subtitles_stage_ran(client, editor):
    video = factories.make_video(status="ready", subtitles="none")
    VideoAsset.objects.filter(pk=video.pk).update(stage_log={"subtitles": {"done": True, "cues": 0}})
    page = status_page(client, video)
    assert page.select_one("[data-subtitles-state]")["data-subtitles-state"] == "none"
    assert "No subtitles (no speech)" in page.get_text()
    assert page.select_one("[data-retry]") is None


def test_the_video_list_shows_waiting_for_a_queued_video(client, editor):
    factories.make_video(title="排队中", status="pending", subtitles="none")
    page = soup(english(client, reverse("wagtailsnippets_bangban_media_videoasset:list")))
    row = next(row for row in page.select("tbody tr") if "排队中" in row.get_text())
    assert row.select_one("[data-subtitles-state]")["data-subtitles-state"] == "waiting"
    assert "No subtitles" not in row.get_text()


# The cue editor


def test_the_cue_editor_marks_the_rows_with_errors(client, editor):
    video = factories.make_video(duration=30)
    response = client.post(
        reverse("video_subtitles_edit", args=(video.pk,)),
        {"start": ["0", "5", "abc", "8"], "end": ["2", "4", "9", "9"], "text": ["好的", "反了", "坏时间", "也好"]},
    )
    page = soup(response)
    rows = page.select("[data-cue-table] tbody tr")
    assert [index for index, row in enumerate(rows, start=1) if row.has_attr("data-cue-error")] == [3]
    # The unreadable time is refused first; once fixed, the row that ends before it starts is marked.
    response = client.post(
        reverse("video_subtitles_edit", args=(video.pk,)),
        {"start": ["0", "5", "6", "8"], "end": ["2", "4", "7", "9"], "text": ["好的", "反了", "好", "也好"]},
    )
    rows = soup(response).select("[data-cue-table] tbody tr")
    assert [index for index, row in enumerate(rows, start=1) if row.has_attr("data-cue-error")] == [2]
    assert "cue-editor__row--error" in rows[1]["class"]
    # Time fields and text boxes get the editor's styles (borders, two whole lines).
    assert "cue-editor__time" in rows[0].select_one("input[name=start]")["class"]
    assert int(rows[0].select_one("textarea")["rows"]) >= 3


def test_the_cue_editor_links_the_video_and_its_tutorials(
    client, editor, tutorial_index, django_capture_on_commit_callbacks
):
    video = factories.make_video(title="查社保演示", duration=30, subtitles="approved")
    with django_capture_on_commit_callbacks(execute=True):
        using = factories.attach_video(factories.make_tutorial(tutorial_index, title="查社保", publish=False), video)
        using.get_latest_revision().publish()
        factories.make_tutorial(tutorial_index, title="别的教程")
    page = soup(english(client, reverse("video_subtitles_edit", args=(video.pk,))))
    assert page.select_one("[data-video-link]")["href"] == reverse("video_status", args=(video.pk,))
    links = [(a["href"], a.get_text(strip=True)) for a in page.select("[data-used-by]")]
    assert links == [(reverse("wagtailadmin_pages:edit", args=(using.pk,)), "查社保")]


def test_the_cue_editor_names_people_by_their_real_names(client, tutorial_index):
    video = factories.make_video(duration=30)
    author = factories.make_user("wangxm", roles.EDITORS)
    author.first_name = "王小明"
    author.save()
    services.subtitles_save(asset=video, cues=[{"start": 0.0, "end": 2.0, "text": "一"}], user=author, submit=True)
    client.force_login(factories.make_user("moderator", roles.MODERATORS))
    text = soup(english(client, reverse("video_subtitles_edit", args=(video.pk,)))).select_one("[data-review-state]")
    assert "王小明" in text.get_text() and "wangxm" not in text.get_text()


# The message that blocks submitting


def test_the_blocking_message_links_each_video_to_its_review(client, tutorial_index):
    draft = factories.make_tutorial(tutorial_index, publish=False)
    waiting = factories.make_video(subtitles="auto", title="社保<查询>演示")
    processing = factories.make_video(status="processing", subtitles="none", title="还在处理")
    client.force_login(factories.make_user("root", superuser=True))
    data = page_form(
        title=draft.title,
        summary=draft.summary,
        alt="截图",
        category_id=draft.category_id,
        image_id=factories.make_image().pk,
        video_id=waiting.pk,
    )
    data["slug"] = draft.slug
    response = client.post(reverse("wagtailadmin_pages:edit", args=(draft.pk,)), {**data, "action-publish": "1"})
    page = soup(response)
    link = page.select_one(f'.messages a[href="{reverse("video_subtitles_edit", args=(waiting.pk,))}"]')
    assert link is not None and link.get_text() == "社保<查询>演示"  # the title is text, never markup
    assert "&lt;a href" not in response.content.decode()
    data["steps-0-value-video"] = processing.pk
    response = client.post(reverse("wagtailadmin_pages:edit", args=(draft.pk,)), {**data, "action-publish": "1"})
    link = soup(response).select_one(f'.messages a[href="{reverse("video_status", args=(processing.pk,))}"]')
    assert link is not None and link.get_text() == "还在处理"
    draft.refresh_from_db()
    assert not draft.live
