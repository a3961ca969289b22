"""Uploads through the whole pipeline (ffmpeg, the packaged Whisper model) into a ready, reviewable video."""

import shutil
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from cms import roles
from media import services
from media.models import GlossaryTerm, SubtitleTrack, VideoAsset
from media.pipeline import transcribe as transcribe_module
from media.selectors import video_track, video_working_track
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def model_cache(settings, tmp_path_factory):
    # One joined copy of the packaged weights for the whole run.
    settings.WHISPER_CACHE_DIR = tmp_path_factory.getbasetemp() / "whisper-cache"
    settings.MEDIA_WORK_DIR = tmp_path_factory.mktemp("work")


def upload(path: Path, *, language: str = "en", title: str = "演示") -> VideoAsset:
    with open(path, "rb") as handle:
        return services.video_create(title=title, file=File(handle, name=path.name), language=language)


def process(asset: VideoAsset) -> VideoAsset:
    services.video_process(asset_id=asset.pk)
    asset.refresh_from_db()
    return asset


def test_speech_video_becomes_ready_with_auto_subtitles(sample_video):
    GlossaryTerm.objects.create(term="pension", misheard_as="pensions")
    asset = process(upload(sample_video))
    assert asset.status == VideoAsset.Status.READY, asset.failure_reason
    assert asset.progress == 1.0 and asset.stage == ""
    assert (asset.width, asset.height) == (1280, 720) and asset.has_audio
    assert asset.rendition.name.endswith(".mp4") and asset.poster.name.endswith(".jpg")
    from media.pipeline.probe import probe

    phone = probe(Path(asset.rendition.path))
    assert phone.video_codec == "h264" and phone.audio_codec == "aac" and phone.height <= 720 and phone.faststart
    assert asset.subtitles == VideoAsset.Subtitles.AUTO and not asset.publishable
    text = " ".join(c.text for c in video_working_track(asset=asset).cues).replace("\n", " ").lower()
    assert "blue button" in text and "pension" in text
    # The machine output is the first working copy, by nobody, and not public until a second person approves it.
    track = SubtitleTrack.objects.get(asset=asset)
    assert not track.live and track.revisions.get().user is None
    assert video_track(asset=asset).cues == ()
    assert set(asset.stage_log) == {"probe", "transcode", "poster", "transcribe", "subtitles"}


def test_upload_through_the_admin_queues_processing(client, sample_video, django_capture_on_commit_callbacks):
    client.force_login(factories.make_user("editor", roles.EDITORS))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailsnippets_bangban_media_videoasset:add"),
            {"title": "查社保", "language": "en", "file": SimpleUploadedFile("clip.mp4", sample_video.read_bytes())},
        )
    assert response.status_code == 302
    asset = VideoAsset.objects.get(title="查社保")
    assert asset.uploaded_by.username == "editor"
    assert asset.status == VideoAsset.Status.READY, asset.failure_reason
    status = client.get(reverse("video_status", args=(asset.pk,)) + "?format=json").json()
    assert status["progress"] == 100 and all(stage["done"] for stage in status["stages"])


@pytest.mark.parametrize(
    "fixture, reason",
    [
        ("text_as_mp4", "not a video"),
        ("png_as_mp4", "image"),
        ("truncated_mp4", "incomplete"),
        ("audio_only_mp4", "no video"),
    ],
)
def test_bad_files_fail_with_a_readable_reason(request, fixture, reason):
    other = factories.make_video(title="别的视频")
    asset = process(upload(request.getfixturevalue(fixture)))
    assert asset.status == VideoAsset.Status.FAILED
    assert reason in asset.failure_reason.lower(), asset.failure_reason
    assert not asset.rendition and not asset.poster and not SubtitleTrack.objects.filter(asset=asset).exists()
    other.refresh_from_db()
    assert other.status == VideoAsset.Status.READY and len(video_working_track(asset=other).cues) == 2


def test_empty_upload_is_refused_in_the_admin(client, empty_mp4):
    client.force_login(factories.make_user("editor", roles.EDITORS))
    response = client.post(
        reverse("wagtailsnippets_bangban_media_videoasset:add"),
        {"title": "空", "language": "zh", "file": SimpleUploadedFile("empty.mp4", b"")},
    )
    assert response.status_code == 200
    assert not VideoAsset.objects.filter(title="空").exists()


def test_over_the_limits(settings, sample_video, client):
    settings.VIDEO_MAX_SECONDS = 3
    asset = process(upload(sample_video))
    assert asset.status == VideoAsset.Status.FAILED and "3" in asset.failure_reason
    settings.VIDEO_MAX_BYTES = 1000
    client.force_login(factories.make_user("editor", roles.EDITORS))
    response = client.post(
        reverse("wagtailsnippets_bangban_media_videoasset:add"),
        {"title": "大", "language": "zh", "file": SimpleUploadedFile("big.mp4", sample_video.read_bytes())},
    )
    assert response.status_code == 200 and not VideoAsset.objects.filter(title="大").exists()


@pytest.mark.parametrize("fixture", ["video_without_audio", "silent_video"])
def test_no_speech_is_not_a_failure(request, fixture):
    asset = process(upload(request.getfixturevalue(fixture)))
    assert asset.status == VideoAsset.Status.READY, asset.failure_reason
    assert asset.subtitles == VideoAsset.Subtitles.NONE and video_working_track(asset=asset).cues == ()
    assert asset.rendition and asset.poster
    assert asset.publishable


def test_a_failed_stage_resumes_without_repeating_or_duplicating(
    sample_video, monkeypatch, django_capture_on_commit_callbacks
):
    calls = {"transcode": 0}
    from media.pipeline import transcode

    real_transcode = transcode.transcode_for_phone

    def counting_transcode(*args, **kwargs):
        calls["transcode"] += 1
        return real_transcode(*args, **kwargs)

    monkeypatch.setattr("media.pipeline.transcode.transcode_for_phone", counting_transcode)
    real_transcribe = transcribe_module.transcribe
    monkeypatch.setattr(transcribe_module, "transcribe", lambda *a, **k: (_ for _ in ()).throw(MemoryError()))
    asset = process(upload(sample_video))
    assert asset.status == VideoAsset.Status.FAILED
    assert "MemoryError" in asset.failure_reason and asset.stage == "transcribe"
    assert calls["transcode"] == 1 and video_working_track(asset=asset).cues == ()

    monkeypatch.setattr(transcribe_module, "transcribe", real_transcribe)
    with django_capture_on_commit_callbacks(execute=True):
        services.video_retry(asset=asset)  # the immediate backend runs the queued task on commit
    asset.refresh_from_db()
    assert asset.status == VideoAsset.Status.READY, asset.failure_reason
    assert calls["transcode"] == 1
    cues = video_working_track(asset=asset).cues
    assert cues

    # Running the task again changes nothing and never duplicates cues.
    VideoAsset.objects.filter(pk=asset.pk).update(status=VideoAsset.Status.FAILED)
    process(asset)
    assert video_working_track(asset=asset).cues == cues
    assert SubtitleTrack.objects.get(asset=asset).revisions.count() == 1


def test_a_killed_worker_leaves_the_asset_re_runnable(sample_video):
    asset = upload(sample_video)
    # What a worker killed during transcoding leaves behind: PROCESSING, with a lease that will run out.
    VideoAsset.objects.filter(pk=asset.pk).update(status=VideoAsset.Status.PROCESSING, stage="transcode")
    assert services.video_process(asset_id=asset.pk) is not None  # no lease: the stalled job is taken over
    asset.refresh_from_db()
    assert asset.status == VideoAsset.Status.READY


def test_a_live_lease_keeps_a_second_worker_out(sample_video):
    from django.utils import timezone

    asset = upload(sample_video)
    VideoAsset.objects.filter(pk=asset.pk).update(
        status=VideoAsset.Status.PROCESSING, lease_until=timezone.now() + services.LEASE
    )
    assert services.video_process(asset_id=asset.pk) is None
    with pytest.raises(ValidationError), translation.override("en"):
        services.video_retry(asset=asset)


def test_work_files_are_removed_when_done(sample_video, settings):
    asset = process(upload(sample_video))
    assert asset.status == VideoAsset.Status.READY
    assert not (Path(settings.MEDIA_WORK_DIR) / f"video-{asset.pk}").exists()
    shutil.rmtree(settings.MEDIA_WORK_DIR, ignore_errors=True)
