"""The cue editor: corrections are a working copy; a second person (a Moderator who did not edit it) approves."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from cms import roles
from media import selectors, services
from media.models import SubtitleTrack, VideoAsset
from media.signals import subtitles_approved
from tests import factories

pytestmark = pytest.mark.django_db

APPROVED = [(0.0, 2.5, "打开手机上的应用"), (2.5, 5.0, "点击查询")]


@pytest.fixture
def editor(db):
    return factories.make_user("editor", roles.EDITORS)


@pytest.fixture
def moderator(db):
    return factories.make_user("moderator", roles.MODERATORS)


@pytest.fixture
def moderator2(db):
    return factories.make_user("moderator2", roles.MODERATORS)


def on_live_page(tutorial_index, video):
    """Citizens reach a video's files only while a live tutorial shows it."""
    page = factories.attach_video(factories.make_tutorial(tutorial_index, publish=False), video)
    page.get_latest_revision().publish()
    return video


def public_vtt(client, video) -> str:
    response = client.get(reverse("video_subtitles", args=(video.pk, "vtt")))
    return response.content.decode() if response.status_code == 200 else f"<{response.status_code}>"


def latest_cues(video) -> list:
    return SubtitleTrack.objects.get(asset=video).get_latest_revision_as_object().cues


def row_form(*rows: tuple[str, str, str], **extra) -> dict:
    return {"start": [r[0] for r in rows], "end": [r[1] for r in rows], "text": [r[2] for r in rows], **extra}


@pytest.mark.parametrize(
    "cues, message",
    [
        ([{"start": 2.0, "end": 1.0, "text": "反了"}], "must end after it starts"),
        ([{"start": 0.0, "end": 3.0, "text": "一"}, {"start": 2.0, "end": 4.0, "text": "二"}], "before the previous"),
        ([{"start": 0.0, "end": 1.0, "text": "一\n二\n三"}], "more than two lines"),
        ([{"start": 0.0, "end": 99.0, "text": "太长"}], "after the video"),
        ([{"start": 0.0, "end": 1.0, "text": "  "}], "no text"),
        ([{"start": float("nan"), "end": 1.0, "text": "一"}], "Line 1: times must be seconds"),
        ([{"start": 0.0, "end": float("inf"), "text": "一"}], "Line 1: times must be seconds"),
        ([{"start": -1.0, "end": 1.0, "text": "一"}], "cannot be negative"),
        ([{"start": 0.0, "end": 1.0, "text": "长" * 201}], "Line 1 has 201 characters; at most 200"),
    ],
)
def test_bad_cues_are_refused_and_nothing_changes(editor, cues, message):
    video = factories.make_video(duration=30)
    before = latest_cues(video)
    with pytest.raises(ValidationError) as excinfo, translation.override("en"):
        services.subtitles_save(asset=video, cues=cues, user=editor, submit=True)
    assert any(message in text for text in excinfo.value.messages), excinfo.value.messages
    assert latest_cues(video) == before
    assert SubtitleTrack.objects.get(asset=video).current_workflow_state is None


@pytest.mark.parametrize(
    "start, end, text, message",
    [
        ("nan", "2", "一", "Line 2: times must look like"),
        ("0", "inf", "一", "Line 2: times must look like"),
        ("1e999", "2", "一", "Line 2: times must look like"),
        ("-1", "2", "一", "Line 2: times must look like"),
        ("0", "2", "长" * 300, "Line 2 has 300 characters; at most 200"),
        ("0", "31", "一", "Line 2 ends after the video does."),
    ],
)
def test_cue_editor_refuses_impossible_rows_by_number(client, editor, start, end, text, message):
    video = factories.make_video(duration=30)
    revisions = SubtitleTrack.objects.get(asset=video).revisions.count()
    client.force_login(editor)
    response = client.post(
        reverse("video_subtitles_edit", args=(video.pk,)),
        row_form(("", "", ""), (start, end, text), submit="1"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SubtitleTrack.objects.get(asset=video).revisions.count() == revisions


def test_plain_save_is_a_working_copy_citizens_do_not_see(client, editor, tutorial_index):
    video = on_live_page(tutorial_index, factories.make_video(subtitles="approved", cues=APPROVED, duration=90))
    before = public_vtt(client, video)
    assert "点击查询" in before
    client.force_login(editor)
    url = reverse("video_subtitles_edit", args=(video.pk,))
    page = client.get(url)
    assert page.status_code == 200 and "打开手机上的应用" in page.content.decode()
    response = client.post(
        url,
        row_form(
            ("0", "2.5", "打开手机上的应用"), ("1:02.5", "1:04", "新加的一行"), ("2.5", "5", "点击查询"), ("", "", "")
        )
        | {"delete": ["2"], "save": "1"},
    )
    assert response.status_code == 302
    client.logout()
    assert public_vtt(client, video) == before
    video.refresh_from_db()
    assert video.subtitles == VideoAsset.Subtitles.APPROVED and video.publishable
    assert latest_cues(video) == [[0.0, 2.5, "打开手机上的应用"], [62.5, 64.0, "新加的一行"]]
    # The admin's preview track shows the working copy.
    client.force_login(editor)
    preview = client.get(reverse("video_subtitles_preview", args=(video.pk,))).content.decode()
    assert "新加的一行" in preview and "点击查询" not in preview


def test_working_copy_of_a_new_video_is_not_public(client, editor):
    video = factories.make_video(subtitles="auto", machine_made=True)
    # Even staff, who may open any processed video's files, get no unreviewed text from the public address.
    client.force_login(editor)
    assert public_vtt(client, video) == "<404>"
    assert client.get(reverse("video_subtitles", args=(video.pk, "txt"))).status_code == 404
    assert not video.publishable


def test_the_editor_of_a_working_copy_cannot_approve_it(client, moderator, moderator2, editor, tutorial_index):
    video = on_live_page(tutorial_index, factories.make_video(subtitles="approved", cues=APPROVED, duration=90))
    before = public_vtt(client, video)
    # A moderator edits and submits: they are its author.
    client.force_login(moderator)
    url = reverse("video_subtitles_edit", args=(video.pk,))
    client.post(url, row_form(("0", "2.5", "打开手机上的应用"), ("2.5", "5", "点击社保查询"), submit="1"))
    track = SubtitleTrack.objects.get(asset=video)
    assert track.current_workflow_state.status == "in_progress"
    page = client.get(url).content.decode()
    assert 'name="approve"' not in page
    # Not through the cue editor ...
    response = client.post(url, {"approve": "1"}, follow=True)
    assert any("did not edit" in str(m) or "没有编辑" in str(m) for m in response.context["messages"])
    # ... nor through the workflow's own action.
    task_state = track.current_workflow_task_state
    with pytest.raises(PermissionDenied):
        services.subtitles_approve(asset=video, user=moderator)
    assert "approve" not in [name for name, *_ in task_state.task.specific.get_actions(track, moderator)]
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, moderator, "approve")
    # An editor is no approver either.
    with pytest.raises(PermissionDenied):
        services.subtitles_approve(asset=video, user=editor)
    client.logout()
    assert public_vtt(client, video) == before


def test_a_moderator_who_edited_before_submission_cannot_approve(moderator, moderator2, editor):
    video = factories.make_video(duration=30)
    services.subtitles_save(asset=video, cues=[{"start": 0.0, "end": 2.0, "text": "一"}], user=moderator)
    services.subtitles_save(asset=video, cues=[{"start": 0.0, "end": 2.0, "text": "二"}], user=editor, submit=True)
    with pytest.raises(PermissionDenied):
        services.subtitles_approve(asset=video, user=moderator)
    services.subtitles_approve(asset=video, user=moderator2)
    assert [c.text for c in selectors.video_track(asset=video).cues] == ["二"]


def test_another_moderator_approves_and_the_public_vtt_changes(
    client, editor, moderator2, django_capture_on_commit_callbacks, tutorial_index
):
    video = on_live_page(tutorial_index, factories.make_video(subtitles="approved", cues=APPROVED, duration=90))
    client.force_login(editor)
    url = reverse("video_subtitles_edit", args=(video.pk,))
    client.post(url, row_form(("0", "2.5", "打开手机上的应用"), ("2.5", "5", "点击社保查询"), submit="1"))
    client.logout()
    assert "点击社保查询" not in public_vtt(client, video)
    heard = []

    def receiver(sender, asset, **kwargs):
        heard.append(asset.pk)

    subtitles_approved.connect(receiver, dispatch_uid="test_cue_review_receiver")
    try:
        client.force_login(moderator2)
        page = client.get(url).content.decode()
        assert 'name="approve"' in page
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"approve": "1"})
        assert response.status_code == 302
        assert heard == [video.pk]  # the search index hears of the new public version
    finally:
        subtitles_approved.disconnect(dispatch_uid="test_cue_review_receiver")
    client.logout()
    assert "点击社保查询" in public_vtt(client, video)
    video.refresh_from_db()
    assert video.subtitles == VideoAsset.Subtitles.APPROVED


def test_approval_from_wagtails_snippet_edit_view(client, editor, moderator, moderator2, tutorial_index):
    video = factories.make_video(subtitles="auto", cues=APPROVED, duration=90)
    services.subtitles_save(
        asset=video, cues=[{"start": 0.0, "end": 2.0, "text": "打开应用"}], user=editor, submit=True
    )
    track = SubtitleTrack.objects.get(asset=video)
    edit_url = reverse("wagtailsnippets_bangban_media_subtitletrack:edit", args=(track.pk,))
    # The dashboard lists it for a moderator who did not edit it.
    client.force_login(moderator2)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert edit_url in dashboard
    assert client.get(edit_url).status_code == 200
    response = client.post(edit_url, {"action-workflow-action": "1", "workflow-action-name": "approve"})
    assert response.status_code == 302, response.content.decode()[:2000]
    track.refresh_from_db()
    assert track.live and track.cues == [[0.0, 2.0, "打开应用"]]
    client.logout()
    on_live_page(tutorial_index, video)
    assert "打开应用" in public_vtt(client, video)
    # Nobody added a revision on the way: the approved version is the editor's.
    [version] = selectors.subtitle_versions(asset=video)
    assert version.edited_by == editor and version.approved_by == moderator2


def test_approved_versions_record_editor_approver_and_time(editor, moderator, moderator2):
    video = factories.make_video(subtitles="auto", machine_made=True, duration=30)
    services.subtitles_save(asset=video, cues=[{"start": 0.0, "end": 2.0, "text": "第一版"}], user=editor, submit=True)
    services.subtitles_approve(asset=video, user=moderator)
    services.subtitles_save(
        asset=video, cues=[{"start": 0.0, "end": 2.0, "text": "第二版"}], user=moderator, submit=True
    )
    services.subtitles_approve(asset=video, user=moderator2)
    first, second = selectors.subtitle_versions(asset=video)
    assert (first.edited_by, first.approved_by) == (editor, moderator)
    assert first.editors == (None, editor)  # speech recognition's copy, then the editor's
    assert [c.text for c in first.cues] == ["第一版"]
    assert (second.edited_by, second.approved_by, second.editors) == (moderator, moderator2, (moderator,))
    assert [c.text for c in second.cues] == ["第二版"]
    assert first.approved_at < second.approved_at
    assert first.revision_id < second.revision_id
    # Pinning a version: its revision holds exactly what was approved.
    track = SubtitleTrack.objects.get(asset=video)
    assert track.revisions.get(pk=first.revision_id).as_object().cues == [[0.0, 2.0, "第一版"]]


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


def test_cue_editor_reports_unreadable_times(client, editor):
    video = factories.make_video(duration=30)
    before = latest_cues(video)
    client.force_login(editor)
    response = client.post(
        reverse("video_subtitles_edit", args=(video.pk,)), {"start": ["abc"], "end": ["2"], "text": ["一"]}
    )
    assert response.status_code == 200
    assert "1:23.5" in response.content.decode()
    assert latest_cues(video) == before


@pytest.mark.parametrize("group", [roles.PUBLICITY_OFFICERS, roles.STAFF_LEARNERS, roles.TRAINING_MANAGERS])
def test_only_editors_and_moderators_review_subtitles(client, group):
    video = factories.make_video(duration=30)
    before = latest_cues(video)
    client.force_login(factories.make_user("someone", group))
    url = reverse("video_subtitles_edit", args=(video.pk,))
    response = client.post(url, {"start": ["0"], "end": ["2"], "text": ["x"], "submit": "1"})
    assert response.status_code in (302, 403)
    assert client.post(url, {"approve": "1"}).status_code in (302, 403)
    assert latest_cues(video) == before
    video.refresh_from_db()
    assert video.subtitles == VideoAsset.Subtitles.AUTO


def test_editors_cannot_change_a_working_copy_under_review(editor, moderator):
    video = factories.make_video(duration=30)
    services.subtitles_save(asset=video, cues=[{"start": 0.0, "end": 2.0, "text": "一"}], user=editor, submit=True)
    other = factories.make_user("editor2", roles.EDITORS)
    with pytest.raises(ValidationError):
        services.subtitles_save(asset=video, cues=[{"start": 0.0, "end": 2.0, "text": "二"}], user=other)
    assert latest_cues(video) == [[0.0, 2.0, "一"]]


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
