"""The guard on the publish path: findings from real OCR block a tutorial until masked or overridden."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import translation
from wagtail.models import ModelLogEntry, PageLogEntry

from cms import roles
from privacy import selectors, services
from privacy.detect.ocr import find_in_image
from privacy.models import Finding, ImageMask, Scan
from tests import factories
from tests.privacy.conftest import ID, screen_with_text, screenshot_with_id

pytestmark = pytest.mark.django_db


def open_findings(page) -> list[Finding]:
    return selectors.findings_open_for(page.get_latest_revision_as_object())


def test_upload_scan_finds_the_id_with_its_box_and_never_stores_the_number(draft_with_id):
    page, image = draft_with_id
    (finding,) = open_findings(page)
    assert finding.content_object == image
    assert (finding.kind, finding.masked, finding.field) == ("resident_id", "1101**********4514", "picture")
    left, top, right, bottom = finding.box
    assert 290 <= left < right <= 720 and 280 <= top < bottom <= 360
    assert Scan.objects.get(object_id=image.pk, source="image").status == Scan.Status.DONE
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(f)::text FROM privacy_finding f")
        rows = " ".join(row[0] for row in cursor.fetchall())
    assert "4514" in rows and ID not in rows and ID[6:14] not in rows


def test_rescan_is_idempotent(draft_with_id):
    _, image = draft_with_id
    services.image_scan(image_id=image.pk)
    services.image_scan(image_id=image.pk)
    assert Finding.objects.filter(object_id=image.pk, source="image").count() == 1


def test_open_finding_blocks_publishing_until_masked(draft_with_id, django_capture_on_commit_callbacks):
    page, image = draft_with_id
    with pytest.raises(ValidationError, match=r"1101\*+4514"):
        page.get_latest_revision().publish()
    page.refresh_from_db()
    assert not page.live

    (finding,) = open_findings(page)
    shown = image.get_rendition("width-720")  # what a citizen's phone would get
    assert [f.masked for f in find_in_image(shown.file.path)] == ["1101**********4514"]
    editor = factories.make_user("ed", roles.EDITORS)
    with django_capture_on_commit_callbacks(execute=True):
        mask = services.image_mask(finding=finding, user=editor, method=ImageMask.Method.BOX)
    image.refresh_from_db()
    assert image.file.name != mask.original.name and mask.original.storage.exists(mask.original.name)
    with image.open_file() as handle, mask.original.open("rb") as original:
        assert handle.read() != original.read()
    finding.refresh_from_db()
    assert finding.status == Finding.Status.MASKED  # the rescan no longer read the number
    assert find_in_image(image.file.path) == []
    assert find_in_image(image.get_rendition("width-720").file.path) == []  # the masked rendition
    assert open_findings(page) == []

    page.get_latest_revision().publish()
    page.refresh_from_db()
    assert page.live
    assert ModelLogEntry.objects.filter(action=services.MASK_ACTION, object_id=str(image.pk)).exists()


def test_blurred_mask_also_hides_the_number(draft_with_id):
    page, image = draft_with_id
    (finding,) = open_findings(page)
    services.image_mask(finding=finding, user=factories.make_user("ed", roles.EDITORS), method="blur")
    services.image_scan(image_id=image.pk)
    finding.refresh_from_db()
    assert finding.status == Finding.Status.MASKED


def test_mask_that_misses_the_number_reopens_the_finding(draft_with_id):
    page, image = draft_with_id
    (finding,) = open_findings(page)
    services.image_mask(finding=finding, user=factories.make_user("ed", roles.EDITORS), box=[0, 0, 30, 30])
    services.image_scan(image_id=image.pk)
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OPEN
    with pytest.raises(ValidationError):
        page.get_latest_revision().publish()


def test_moderator_override_is_logged_and_unblocks(draft_with_id):
    page, _ = draft_with_id
    (finding,) = open_findings(page)
    moderator = factories.make_user("mod", roles.MODERATORS)
    with pytest.raises(ValidationError):
        services.finding_override(finding=finding, user=moderator, reason="", page=page)
    services.finding_override(finding=finding, user=moderator, reason="演示用的样例号码，不是真人的。", page=page)
    entry = PageLogEntry.objects.get(page=page, action=services.OVERRIDE_ACTION)
    assert entry.user == moderator
    assert entry.data["reason"] == "演示用的样例号码，不是真人的。"
    assert entry.data["masked"] == "1101**********4514" and ID not in str(entry.data)
    page.get_latest_revision().publish()
    page.refresh_from_db()
    assert page.live


def test_editor_cannot_override(draft_with_id):
    page, _ = draft_with_id
    (finding,) = open_findings(page)
    with pytest.raises(PermissionDenied):
        services.finding_override(
            finding=finding, user=factories.make_user("ed", roles.EDITORS), reason="我觉得没关系，发吧。", page=page
        )
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OPEN


def test_number_in_step_text_blocks_until_edited_and_override_survives_rescan(tutorial_index):
    page = factories.make_tutorial(tutorial_index, publish=False).get_latest_revision_as_object()
    raw = page.steps.raw_data
    raw[0]["value"]["text"] = "在这里填写手机号 13812345678，然后点击下一步。"
    page.steps = raw
    page.save_revision()
    with pytest.raises(ValidationError, match=r"138\*\*\*\*5678"):
        page.get_latest_revision().publish()
    with translation.override("en"):
        assert selectors.publication_blockers(page=page) == ["138****5678 in the step 1 text"]

    services.tutorial_scan(page_id=page.pk)
    (finding,) = open_findings(page)
    assert (finding.field, finding.step_id) == ("step_text", raw[0]["id"])
    services.finding_override(
        finding=finding, user=factories.make_user("mod", roles.MODERATORS), reason="这是政务服务的公开样例号码。"
    )
    services.tutorial_scan(page_id=page.pk)
    assert Finding.objects.get().status == Finding.Status.OVERRIDDEN
    page.get_latest_revision().publish()
    page.refresh_from_db()
    assert page.live


def test_subtitle_cue_with_a_number_blocks(tutorial_index):
    page = factories.make_tutorial(tutorial_index, publish=False)
    video = factories.make_video(subtitles="approved", cues=[(0.0, 2.0, "我的电话是13812345678")])
    page = factories.attach_video(page, video)
    services.tutorial_scan(page_id=page.pk)
    (finding,) = open_findings(page)
    assert (finding.field, finding.start, finding.content_object) == ("subtitles", 0.0, video)
    with pytest.raises(ValidationError, match="138"):
        page.get_latest_revision().publish()


def test_a_mobile_number_in_a_working_copy_cue_blocks_the_tutorial_using_the_video(
    tutorial_index, django_capture_on_commit_callbacks
):
    from media import services as media_services
    from media.selectors import video_track

    video = factories.make_video(subtitles="approved", cues=[(0.0, 2.0, "打开手机上的应用"), (2.0, 4.0, "点击查询")])
    page = factories.attach_video(factories.make_tutorial(tutorial_index, publish=False), video)
    assert selectors.publication_blockers(page=page) == []
    editor = factories.make_user("ed", roles.EDITORS)
    cues = [{"start": 0.0, "end": 2.0, "text": "打开手机上的应用"}, {"start": 2.0, "end": 4.0, "text": "点击查询"}]
    cues[1]["text"] = "不会操作就打 139-1234-5678 问我"
    with django_capture_on_commit_callbacks(execute=True):
        media_services.subtitles_save(asset=video, cues=cues, user=editor)
    assert [cue.text for cue in video_track(asset=video).cues] == ["打开手机上的应用", "点击查询"]  # still public

    with pytest.raises(ValidationError, match=r"139\*\*\*\*5678"):
        page.get_latest_revision().publish()
    page.refresh_from_db()
    assert not page.live
    # The save's rescan keeps it for the panel, at the cue's second.
    (finding,) = Finding.objects.filter(object_id=video.pk, source="text", status=Finding.Status.OPEN)
    assert (finding.field, finding.start, finding.masked) == ("subtitles", 2.0, "139****5678")

    cues[1]["text"] = "不会操作就问身边的工作人员"  # a newer working copy supersedes the one with the number
    with django_capture_on_commit_callbacks(execute=True):
        media_services.subtitles_save(asset=video, cues=cues, user=editor)
    assert not Finding.objects.filter(object_id=video.pk, status=Finding.Status.OPEN).exists()
    page.get_latest_revision().publish()
    page.refresh_from_db()
    assert page.live


def test_scheduled_publication_is_skipped_and_logged(draft_with_id):
    from tutorials.models import PUBLISH_BLOCKED, SCHEDULED_PUBLISH

    page, _ = draft_with_id
    revision = page.get_latest_revision()
    assert page.publish(revision, log_action=SCHEDULED_PUBLISH) is None
    entry = PageLogEntry.objects.get(page=page, action=PUBLISH_BLOCKED)
    assert "1101**********4514" in entry.data["reason"]


def test_workflow_offers_no_approval_while_a_finding_is_open(draft_with_id):
    page, _ = draft_with_id
    author = factories.make_user("author", roles.EDITORS)
    page.get_workflow().start(page, author)
    page.refresh_from_db()
    moderator = factories.make_user("mod", roles.MODERATORS)
    actions = [name for name, *_ in page.current_workflow_task.get_actions(page, moderator)]
    assert "approve" not in actions and "reject" in actions


def test_upload_and_revision_save_queue_scans(tutorial_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = screenshot_with_id("upload")
    assert Finding.objects.filter(object_id=image.pk, source="image", status="open").count() == 1
    page = factories.make_tutorial(tutorial_index, publish=False).get_latest_revision_as_object()
    page.title = "联系电话13812345678"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision()
    assert [f.field for f in selectors.findings_open_for(page, with_dependents=False)] == ["title"]


def video_blocks_publishing(tutorial_index, make_video, client):
    from django.core.files import File
    from django.urls import reverse

    from media.models import VideoAsset

    blank, _ = screen_with_text([("身份证号", 40, 300)])
    shown, _ = screen_with_text([("身份证号", 40, 300), (ID, 300, 300)])
    path = make_video([(blank, 1.5), (shown, 3.0), (blank, 1.5)])
    asset = VideoAsset(title="录屏", language="zh", status="ready", subtitles="none", duration=6.0)
    with open(path, "rb") as handle:
        asset.file.save("recording.mp4", File(handle), save=False)
    [asset] = VideoAsset.objects.bulk_create([asset])
    page = factories.attach_video(factories.make_tutorial(tutorial_index, publish=False), asset)
    seen = []
    services.video_scan(asset_id=asset.pk, progress=seen.append)
    assert seen and seen[-1] == 1.0
    assert Scan.objects.get(object_id=asset.pk, source="video").status == Scan.Status.DONE
    (finding,) = open_findings(page)
    assert (finding.source, finding.masked) == ("video", "1101**********4514")
    assert 1.0 <= finding.start <= 2.0 and 4.0 <= finding.end <= 5.0
    with pytest.raises(ValidationError, match=r"1101\*+4514.*录屏|录屏.*1101\*+4514"):
        page.get_latest_revision().publish()

    client.force_login(factories.make_user("ed", roles.EDITORS))
    response = client.get(reverse("privacy:finding_picture", args=(finding.pk,)))
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")
    return page, asset, finding


def test_number_shown_in_a_video_blocks_publishing_with_its_time(video_with_id):
    _, _, finding = video_with_id
    assert finding.status == Finding.Status.OPEN


@pytest.fixture
def video_with_id(tutorial_index, make_video, client):
    return video_blocks_publishing(tutorial_index, make_video, client)


def test_masking_the_video_over_its_seconds_hides_the_number(video_with_id, client, django_capture_on_commit_callbacks):
    from django.urls import reverse

    from media.models import VideoAsset
    from privacy.detect.video import find_in_video
    from privacy.models import VideoMask

    page, asset, finding = video_with_id
    asset.stage_log = {stage: {"done": True} for stage in ("probe", "transcode", "poster", "transcribe", "subtitles")}
    asset.save(update_fields=["stage_log"])
    url = reverse("privacy:finding_mask", args=(finding.pk,))
    data = {"method": "box", "left": finding.box[0], "top": finding.box[1], "right": finding.box[2]}
    data |= {"bottom": finding.box[3], "start": finding.start, "end": finding.end}
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url, data)
    assert response.status_code == 302 and len(queued) == 1

    with django_capture_on_commit_callbacks(execute=False) as queued:
        record = services.video_mask(finding_id=finding.pk, user_id=None, method="box", box=finding.box,
                                     start=finding.start, end=finding.end)  # fmt: skip
    asset.refresh_from_db()
    assert VideoMask.objects.get() == record and record.original.storage.exists(record.original.name)
    assert asset.status == VideoAsset.Status.PENDING
    assert set(asset.stage_log) == {"probe", "transcribe", "subtitles"}  # phone version and poster made again
    assert len(queued) == 3  # processing, the rescan, the old file's removal
    assert find_in_video(asset.file.path) == []
    # Covered from the first frame showing the number (frame 45: 1.5 s at 30 fps) to its last (134), and only then.
    darkness = {n: region_level(asset.file.path, n, finding.box) for n in (15, 45, 134, 170)}
    assert darkness[45] < 100 and darkness[134] < 100, darkness
    assert darkness[15] > 200 and darkness[170] > 200, darkness
    services.video_scan(asset_id=asset.pk)
    finding.refresh_from_db()
    assert finding.status == Finding.Status.MASKED
    assert selectors.publication_blockers(page=page.get_latest_revision_as_object()) == []


def region_level(path, frame: int, box: list[int]) -> float:
    """The mean brightness inside ``box`` of one frame of a video."""
    import io
    import subprocess

    from PIL import Image, ImageStat

    left, top, right, bottom = box
    pgm = subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", str(path), "-vf", f"select=eq(n\\,{frame})",
         "-frames:v", "1", "-f", "image2pipe", "-c:v", "pgm", "pipe:1"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    with Image.open(io.BytesIO(pgm)) as picture:
        return ImageStat.Stat(picture.crop((left, top, right, bottom))).mean[0]
