"""A new upload in place of a video's original: processing starts over from it, the guard scans it, and what the old
original left (the file itself, its phone version, poster and chapter posters) goes once the change is committed."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from cms import roles
from media import services
from media.models import VideoAsset
from media.services import chapter_poster_name
from privacy.models import Scan
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def workdir(settings, tmp_path_factory):
    settings.MEDIA_WORK_DIR = tmp_path_factory.mktemp("work")


@pytest.fixture
def first(make_video) -> Path:
    return make_video(320, 240, 2)


@pytest.fixture
def second(make_video) -> Path:
    return make_video(480, 360, 2)


@pytest.fixture
def processed(first) -> VideoAsset:
    with open(first, "rb") as handle:
        asset = VideoAsset(title="演示", language="zh")
        asset.file.save("first.mp4", File(handle), save=False)
    [asset] = VideoAsset.objects.bulk_create([asset])  # no post_save: processed below, not through the queue
    services.video_process(asset_id=asset.pk)
    asset.refresh_from_db()
    assert asset.status == VideoAsset.Status.READY, asset.failure_reason
    assert (asset.width, asset.rendition, asset.poster) != (None, "", "")
    return asset


def stored_paths(asset: VideoAsset) -> list[Path]:
    return [Path(stored.path) for stored in (asset.file, asset.rendition, asset.poster)]


def chapter_poster(asset: VideoAsset, start: float = 1.0) -> str:
    return asset.poster.storage.save(chapter_poster_name(asset_id=asset.pk, start=start), ContentFile(b"jpeg"))


def edit(client, asset: VideoAsset, path: Path):
    return client.post(
        reverse("wagtailsnippets_bangban_media_videoasset:edit", args=(asset.pk,)),
        {"title": "演示（新版）", "language": "zh", "file": SimpleUploadedFile("second.mp4", path.read_bytes())},
    )


def test_a_new_upload_in_the_admin_is_processed_and_the_old_files_go_after_the_commit(
    client, processed, second, django_capture_on_commit_callbacks
):
    old_paths = stored_paths(processed)
    old_sizes = [path.stat().st_size for path in old_paths]
    storage = processed.poster.storage
    old_chapter = chapter_poster(processed)
    others = factories.make_video()
    others_chapter = chapter_poster(others)
    client.force_login(factories.make_user("ed", roles.EDITORS))

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = edit(client, processed, second)
    assert response.status_code == 302
    asset = VideoAsset.objects.get(pk=processed.pk)
    # Committed, nothing run yet: the row points at the new original only and waits for processing.
    assert asset.title == "演示（新版）" and asset.file.name != processed.file.name
    assert (asset.status, asset.stage_log, asset.rendition.name, asset.poster.name) == ("pending", {}, "", "")
    assert all(path.exists() for path in old_paths) and storage.exists(old_chapter)

    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()
    asset.refresh_from_db()
    assert asset.status == VideoAsset.Status.READY, asset.failure_reason
    assert (asset.width, asset.height) == (480, 360)
    new_paths = stored_paths(asset)
    # The phone version and poster are named after the video: the new ones may take the freed names.
    assert [path for path in old_paths if path.exists() and path not in new_paths] == []
    assert not old_paths[0].exists() and all(path.exists() for path in new_paths)
    assert Path(asset.rendition.path).stat().st_size != old_sizes[1]
    assert not storage.exists(old_chapter) and storage.exists(others_chapter)
    assert Scan.objects.get(object_id=asset.pk, source="video").status == Scan.Status.DONE


def test_a_rolled_back_replacement_keeps_the_old_files(processed, second, django_capture_on_commit_callbacks):
    old_paths = stored_paths(processed)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        with pytest.raises(RuntimeError), transaction.atomic():
            with open(second, "rb") as handle:
                processed.file = File(handle, name="second.mp4")
                services.video_file_replace(asset=processed)
            raise RuntimeError("the editor's request failed after the save")
    assert queued == []
    assert all(path.exists() for path in old_paths)
    asset = VideoAsset.objects.get(pk=processed.pk)
    assert asset.status == VideoAsset.Status.READY and stored_paths(asset) == old_paths


def test_an_edit_without_a_new_file_keeps_everything(client, processed, django_capture_on_commit_callbacks):
    client.force_login(factories.make_user("ed", roles.EDITORS))
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(
            reverse("wagtailsnippets_bangban_media_videoasset:edit", args=(processed.pk,)),
            {"title": "改个标题", "language": "zh"},
        )
    assert response.status_code == 302 and queued == []
    asset = VideoAsset.objects.get(pk=processed.pk)
    assert asset.title == "改个标题" and asset.status == VideoAsset.Status.READY
    assert stored_paths(asset) == stored_paths(processed) and all(path.exists() for path in stored_paths(asset))


def test_a_video_being_processed_keeps_its_original_with_a_clear_message(client, processed, second):
    VideoAsset.objects.filter(pk=processed.pk).update(
        status=VideoAsset.Status.PROCESSING, lease_until=timezone.now() + timedelta(minutes=5)
    )
    client.force_login(factories.make_user("ed", roles.EDITORS))
    response = edit(client, processed, second)
    assert response.status_code == 200
    with translation.override("zh-hans"):
        message = translation.gettext("The video is being processed; replace its file when processing has finished.")
    assert message == "视频正在处理中，请处理完成后再替换文件。"
    assert response.context["form"].errors["file"] == [message] and message in response.content.decode()
    assert VideoAsset.objects.get(pk=processed.pk).file.name == processed.file.name
    assert all(path.exists() for path in stored_paths(processed))


def test_a_new_phone_version_drops_the_chapter_posters_of_the_old_one(processed):
    """What a privacy mask does: the original becomes the masked file and the phone version is made again."""
    old_chapter = chapter_poster(processed, start=0.5)
    log = {stage: entry for stage, entry in processed.stage_log.items() if stage not in ("transcode", "poster")}
    VideoAsset.objects.filter(pk=processed.pk).update(status=VideoAsset.Status.PENDING, stage_log=log)
    services.video_process(asset_id=processed.pk)
    asset = VideoAsset.objects.get(pk=processed.pk)
    assert asset.status == VideoAsset.Status.READY, asset.failure_reason
    assert not asset.poster.storage.exists(old_chapter)
    assert Path(asset.file.path) == Path(processed.file.path) and Path(asset.file.path).exists()


def test_a_fresh_run_never_reads_an_old_original_a_failed_run_downloaded(
    processed, first, second, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """On a remote storage the original is downloaded into the scratch space; a failed run leaves it there."""
    scratch = Path(settings.MEDIA_WORK_DIR) / f"video-{processed.pk}"
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / "original.mp4").write_bytes(first.read_bytes())
    with open(second, "rb") as handle:
        processed.file = File(handle, name="second.mp4")
        with django_capture_on_commit_callbacks(execute=False):
            services.video_file_replace(asset=processed)
    VideoAsset.objects.filter(pk=processed.pk).update(status=VideoAsset.Status.FAILED)

    def no_local_path(self):
        raise NotImplementedError("remote storage")

    monkeypatch.setattr(FieldFile, "path", property(no_local_path))
    with django_capture_on_commit_callbacks(execute=True):
        services.video_retry(asset=processed)
    asset = VideoAsset.objects.get(pk=processed.pk)
    assert asset.status == VideoAsset.Status.READY, asset.failure_reason
    assert (asset.width, asset.height) == (480, 360)


def test_approved_subtitles_are_withdrawn_when_a_new_recording_replaces_the_old(
    client, second, django_capture_on_commit_callbacks
):
    from wagtail.models import ModelLogEntry

    from media import selectors
    from media.models import SubtitleTrack
    from media.signals import subtitles_withdrawn

    asset = factories.make_video(subtitles="approved", cues=[(0.0, 2.0, "旧录像里的话")])
    assert [cue.text for cue in selectors.video_track(asset=asset).cues] == ["旧录像里的话"]
    heard = []

    def receiver(sender, asset, **kwargs):
        heard.append(asset.pk)

    subtitles_withdrawn.connect(receiver, dispatch_uid="test_replace_withdrawn")
    editor = factories.make_user("ed", roles.EDITORS)
    client.force_login(editor)
    try:
        with django_capture_on_commit_callbacks(execute=False) as queued:
            assert edit(client, asset, second).status_code == 302
            # Inside the transaction: no receiver has been told yet.
            assert heard == []
        for callback in queued:
            if getattr(callback, "__qualname__", "").startswith("video_file_replace"):
                callback()
    finally:
        subtitles_withdrawn.disconnect(dispatch_uid="test_replace_withdrawn")
    asset.refresh_from_db()
    track = SubtitleTrack.objects.get(asset=asset)
    # Citizens and the search index see none of the old lines; they stay in the track's history.
    assert (track.live, asset.subtitles) == (False, VideoAsset.Subtitles.AUTO)
    assert not selectors.video_track(asset=asset).cues
    assert track.get_latest_revision_as_object().cues == [[0.0, 2.0, "旧录像里的话"]]
    assert heard == [asset.pk]
    entry = ModelLogEntry.objects.get(action="wagtail.unpublish", object_id=str(track.pk))
    assert entry.user == editor


def test_a_replacement_leaves_unapproved_subtitles_alone(client, second):
    from media.models import SubtitleTrack

    asset = factories.make_video(subtitles="auto")
    client.force_login(factories.make_user("ed", roles.EDITORS))
    assert edit(client, asset, second).status_code == 302
    asset.refresh_from_db()
    assert asset.subtitles == VideoAsset.Subtitles.AUTO
    assert not SubtitleTrack.objects.get(asset=asset).live


@pytest.mark.django_db(transaction=True)
def test_a_worker_claiming_the_video_during_the_save_gets_a_message_not_an_error(client, second):
    # The form's check reads the row as the page loaded it; the service checks again under the row lock. Here a
    # worker holds that lock while the request runs, and claims the video before letting go.
    import threading

    from django.db import connection, connections

    asset = factories.make_video(subtitles="none")
    original = asset.file.name
    client.force_login(factories.make_user("ed", roles.EDITORS))
    holding, release = threading.Event(), threading.Event()

    def worker():
        try:
            with transaction.atomic():
                VideoAsset.objects.select_for_update().get(pk=asset.pk)
                holding.set()
                release.wait(30)
                VideoAsset.objects.filter(pk=asset.pk).update(
                    status=VideoAsset.Status.PROCESSING, lease_until=timezone.now() + timedelta(minutes=10)
                )
        finally:
            connections.close_all()

    def release_once_the_request_waits():
        # The request's SELECT … FOR UPDATE shows as a backend waiting on a lock.
        with connections["default"].temporary_connection() as cursor:
            for _ in range(300):
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = %s",
                    [connection.settings_dict["NAME"]],
                )
                if cursor.fetchone()[0]:
                    break
                threading.Event().wait(0.1)
        release.set()

    holder = threading.Thread(target=worker)
    holder.start()
    assert holding.wait(30)
    releaser = threading.Thread(target=release_once_the_request_waits)
    releaser.start()
    response = edit(client, asset, second)
    releaser.join(30)
    holder.join(30)
    assert response.status_code == 200
    with translation.override("zh-hans"):  # the admin speaks the user's language, Chinese by default
        message = translation.gettext("The video is being processed; replace its file when processing has finished.")
    assert message != "The video is being processed; replace its file when processing has finished."
    assert escape(message) in response.content.decode()
    asset.refresh_from_db()
    assert (asset.file.name, asset.status) == (original, VideoAsset.Status.PROCESSING)  # nothing replaced
