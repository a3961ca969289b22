"""A video's files are public only while a live tutorial that anyone may view uses it; deleting it removes them."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.models import PageViewRestriction

from media.models import VideoAsset
from media.services import chapter_poster_name
from media.tasks import delete_video_files
from tests import factories

pytestmark = pytest.mark.django_db

PHONE = bytes(range(256)) * 8  # 2048 bytes
POSTER = b"\xff\xd8\xff\xe0poster"


@pytest.fixture
def video():
    asset = factories.make_video(subtitles="approved", cues=[(0.0, 2.0, "打开应用")], duration=10)
    asset.rendition.save(f"{asset.pk}.mp4", ContentFile(PHONE), save=False)
    asset.poster.save(f"{asset.pk}.jpg", ContentFile(POSTER), save=False)
    asset.save(update_fields=["rendition", "poster"])
    return asset


def urls(asset) -> dict[str, str]:
    return {
        "phone": reverse("video_phone", args=(asset.pk,)),
        "poster": reverse("video_poster", args=(asset.pk,)),
        "subtitles": reverse("video_subtitles", args=(asset.pk, "vtt")),
    }


def statuses(client, asset) -> dict[str, int]:
    return {name: client.get(url).status_code for name, url in urls(asset).items()}


def published(index, asset):
    page = factories.attach_video(factories.make_tutorial(index, publish=False), asset, step=0)
    page.get_latest_revision().publish()
    page.refresh_from_db()
    return page


NOT_PUBLIC = {"phone": 404, "poster": 404, "subtitles": 404}
PUBLIC = {"phone": 200, "poster": 200, "subtitles": 200}


def test_files_are_stored_privately(video):
    for stored in (video.file, video.rendition, video.poster):
        assert Path(stored.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
        assert not (Path(settings.MEDIA_ROOT) / stored.name).exists()
        assert stored.url.startswith("/private/")


def test_video_on_no_page_is_not_public(client, video):
    assert statuses(client, video) == NOT_PUBLIC
    # Neither the original nor the phone version is reachable by its stored name, old path or new.
    for stored in (video.file, video.rendition, video.poster):
        assert client.get(stored.url).status_code == 404
        assert client.get("/media/" + stored.name).status_code == 404


def test_video_on_a_draft_page_is_not_public(client, tutorial_index, video):
    factories.attach_video(factories.make_tutorial(tutorial_index, publish=False), video)
    assert statuses(client, video) == NOT_PUBLIC


def test_video_on_a_live_public_page_is_public_with_ranges(client, tutorial_index, video):
    published(tutorial_index, video)
    assert statuses(client, video) == PUBLIC
    phone = client.get(urls(video)["phone"], HTTP_RANGE="bytes=100-199")
    assert phone.status_code == 206 and phone["Content-Range"] == "bytes 100-199/2048"
    assert b"".join(phone.streaming_content) == PHONE[100:200]
    assert phone["Content-Type"] == "video/mp4"
    poster = client.get(urls(video)["poster"])
    assert b"".join(poster.streaming_content) == POSTER and poster["Content-Type"] == "image/jpeg"
    # The original stays private even then.
    assert client.get(video.file.url).status_code == 404


def test_the_page_shows_the_gated_urls(client, tutorial_index, video):
    page = published(tutorial_index, video)
    html = client.get(page.url).content.decode()
    chapter_poster = reverse("video_chapter_poster", args=(video.pk, 0))
    assert f'src="{urls(video)["phone"]}#t=0' in html and f'poster="{chapter_poster}"' in html
    assert video.rendition.url not in html and "/media/videos/" not in html


@pytest.mark.parametrize("where", ["page", "ancestor"])
def test_video_on_a_restricted_page_is_not_public(client, tutorial_index, video, where):
    page = published(tutorial_index, video)
    PageViewRestriction.objects.create(
        page=page if where == "page" else tutorial_index, restriction_type=PageViewRestriction.LOGIN
    )
    assert statuses(client, video) == NOT_PUBLIC


def test_unpublishing_the_page_hides_the_video_again(client, tutorial_index, video):
    page = published(tutorial_index, video)
    assert statuses(client, video) == PUBLIC
    page.unpublish()
    assert statuses(client, video) == NOT_PUBLIC


def test_unprocessed_video_on_a_live_page_is_not_public(client, tutorial_index, video):
    published(tutorial_index, video)
    VideoAsset.objects.filter(pk=video.pk).update(status=VideoAsset.Status.PROCESSING)
    assert statuses(client, video) == NOT_PUBLIC


def test_a_range_request_costs_two_queries(client, tutorial_index, video, django_assert_max_num_queries):
    published(tutorial_index, video)
    with django_assert_max_num_queries(2):
        response = client.get(urls(video)["phone"], HTTP_RANGE="bytes=0-1")
    assert response.status_code == 206


def test_public_video_files_are_cached_for_minutes_only(client, tutorial_index, video):
    published(tutorial_index, video)
    for name, url in urls(video).items():
        response = client.get(url, HTTP_RANGE="bytes=0-1") if name == "phone" else client.get(url)
        assert response.status_code in (200, 206), name
        cache = response["Cache-Control"]
        assert "public" in cache and "max-age=300" in cache, (name, cache)


def test_staff_who_may_see_videos_preview_them_privately(client, video):
    client.force_login(factories.make_user("ed", "Editors"))
    for name, url in urls(video).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert "private" in response["Cache-Control"]
    # The original, through the permission-checked view (the admin's file link).
    assert client.get(video.file.url).status_code == 200
    client.force_login(factories.make_user("learner", "Staff learners"))
    assert statuses(client, video) == NOT_PUBLIC
    assert client.get(video.file.url).status_code == 404


def test_the_admin_edit_page_links_the_original_through_the_private_view(client, video):
    client.force_login(factories.make_user("ed", "Editors"))
    html = client.get(reverse("wagtailsnippets_bangban_media_videoasset:edit", args=(video.pk,))).content.decode()
    assert video.file.url in html
    assert client.get(video.file.url).status_code == 200


def test_deleting_a_video_removes_its_files(video, django_capture_on_commit_callbacks):
    paths = [Path(stored.path) for stored in (video.file, video.rendition, video.poster)]
    scratch = Path(settings.MEDIA_WORK_DIR) / f"video-{video.pk}"
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / "phone.mp4").write_bytes(b"x")
    storage = video.poster.storage
    mine = storage.save(chapter_poster_name(asset_id=video.pk, start=36.43), ContentFile(b"jpeg"))
    others = storage.save(chapter_poster_name(asset_id=video.pk + 1000, start=1), ContentFile(b"jpeg"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        video.delete()
    # Nothing goes before the deletion is committed (a rolled-back delete keeps its files).
    assert all(path.exists() for path in paths) and len(callbacks) == 1
    callbacks[0]()
    assert not any(path.exists() for path in paths)
    assert not scratch.exists()
    assert not storage.exists(mine) and storage.exists(others)
    assert not VideoAsset.objects.filter(pk=video.pk).exists()


def test_deleting_a_failed_upload_removes_its_original(django_capture_on_commit_callbacks):
    asset = factories.make_video(status="failed")
    original = Path(asset.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        VideoAsset.objects.filter(pk=asset.pk).delete()
    assert not original.exists()


def test_file_removal_runs_on_the_default_queue_and_spares_names_still_in_use(
    video, django_capture_on_commit_callbacks
):
    assert delete_video_files.queue_name == "default"
    other = factories.make_video()
    VideoAsset.objects.filter(pk=other.pk).update(rendition=video.rendition.name)
    with django_capture_on_commit_callbacks(execute=False):
        video.delete()
    delete_video_files.call(video.pk, [video.rendition.name, video.poster.name])
    assert Path(video.rendition.path).exists() and not Path(video.poster.path).exists()
