import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from cms import roles
from media import services
from media.models import SubtitleCue, VideoAsset
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return factories.make_user("editor", roles.EDITORS)


@pytest.mark.parametrize(
    "cues, message",
    [
        ([{"start": 2.0, "end": 1.0, "text": "反了"}], "must end after it starts"),
        ([{"start": 0.0, "end": 3.0, "text": "一"}, {"start": 2.0, "end": 4.0, "text": "二"}], "before the previous"),
        ([{"start": 0.0, "end": 1.0, "text": "一\n二\n三"}], "more than two lines"),
        ([{"start": 0.0, "end": 99.0, "text": "太长"}], "after the video"),
        ([{"start": 0.0, "end": 1.0, "text": "  "}], "no text"),
    ],
)
def test_bad_cues_are_refused_and_nothing_changes(editor, cues, message):
    video = factories.make_video(duration=30)
    before = list(SubtitleCue.objects.filter(asset=video).values_list("text", flat=True))
    with pytest.raises(ValidationError) as excinfo, translation.override("en"):
        services.cues_replace(asset=video, cues=cues, user=editor, approve=True)
    assert any(message in text for text in excinfo.value.messages)
    assert list(SubtitleCue.objects.filter(asset=video).values_list("text", flat=True)) == before
    video.refresh_from_db()
    assert video.subtitles == VideoAsset.Subtitles.AUTO


def test_cue_editor_saves_and_approves(client, editor):
    video = factories.make_video(duration=90)
    client.force_login(editor)
    url = reverse("video_subtitles_edit", args=(video.pk,))
    page = client.get(url)
    assert page.status_code == 200 and "打开手机上的应用" in page.content.decode()
    response = client.post(
        url,
        {
            "start": ["0", "1:02.5", "2.5", ""],
            "end": ["2.5", "1:04", "5", ""],
            "text": ["打开手机上的应用", "新加的一行", "点击查询", ""],
            "delete": ["2"],
            "approve": "1",
        },
    )
    assert response.status_code == 302
    video.refresh_from_db()
    assert video.subtitles == VideoAsset.Subtitles.APPROVED and video.subtitles_approved_by == editor
    assert list(video.cues.values_list("start", "end", "text")) == [
        (0.0, 2.5, "打开手机上的应用"),
        (62.5, 64.0, "新加的一行"),
    ]


def test_cue_editor_reports_unreadable_times(client, editor):
    video = factories.make_video(duration=30)
    client.force_login(editor)
    response = client.post(
        reverse("video_subtitles_edit", args=(video.pk,)), {"start": ["abc"], "end": ["2"], "text": ["一"]}
    )
    assert response.status_code == 200
    assert "1:23.5" in response.content.decode()
    assert video.cues.count() == 2


def test_saving_without_approval_keeps_them_unapproved(client, editor):
    video = factories.make_video(subtitles="approved", duration=30)
    client.force_login(editor)
    client.post(reverse("video_subtitles_edit", args=(video.pk,)), {"start": ["0"], "end": ["2"], "text": ["改过"]})
    video.refresh_from_db()
    assert video.subtitles == VideoAsset.Subtitles.AUTO


@pytest.mark.parametrize("group", [roles.PUBLICITY_OFFICERS, roles.STAFF_LEARNERS, roles.TRAINING_MANAGERS])
def test_only_editors_and_moderators_review_subtitles(client, group):
    video = factories.make_video(duration=30)
    client.force_login(factories.make_user("someone", group))
    response = client.post(
        reverse("video_subtitles_edit", args=(video.pk,)), {"start": ["0"], "end": ["2"], "text": ["x"], "approve": "1"}
    )
    assert response.status_code in (302, 403)
    video.refresh_from_db()
    assert video.subtitles == VideoAsset.Subtitles.AUTO


def test_status_json_and_retry(client, editor):
    video = factories.make_video(status="failed")
    VideoAsset.objects.filter(pk=video.pk).update(failure_reason="The file is not a video.", stage="probe")
    client.force_login(editor)
    data = client.get(reverse("video_status", args=(video.pk,)) + "?format=json").json()
    assert data["status"] == "failed" and data["failure_reason"] == "The file is not a video."
    assert [stage["name"] for stage in data["stages"]] == ["probe", "transcode", "poster", "transcribe", "subtitles"]
    page = client.get(reverse("video_status", args=(video.pk,))).content.decode()
    assert "The file is not a video." in page and reverse("video_retry", args=(video.pk,)) in page
    ready = factories.make_video(status="ready")
    response = client.post(reverse("video_retry", args=(ready.pk,)), follow=True)
    assert any("failed or stalled" in str(m) or "失败" in str(m) for m in response.context["messages"])


def test_cue_editor_errors_name_the_row_of_the_form(client, editor):
    # Rows 1 (blank), 2 and 3; row 3 starts first, so the cues are saved in another order than the form's.
    video = factories.make_video(duration=30)
    client.force_login(editor)
    with translation.override("en"):
        response = client.post(
            reverse("video_subtitles_edit", args=(video.pk,)),
            {"start": ["", "5", "0"], "end": ["", "4", "2"], "text": ["", "结束在开始之前", "第一句"]},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Line 2 must end after it starts." in page and "Line 1 must" not in page
    assert video.cues.count() == 2
