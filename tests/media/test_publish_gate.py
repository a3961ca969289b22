"""A tutorial cannot go live while one of its videos is unprocessed or has unapproved subtitles."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cms import roles
from media import services
from tests import factories
from tests.page_forms import page_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(tutorial_index):
    return factories.make_tutorial(tutorial_index, publish=False)


@pytest.mark.parametrize(
    "status, subtitles, blocked",
    [
        ("pending", "none", True),
        ("processing", "none", True),
        ("failed", "none", True),
        ("ready", "auto", True),
        ("ready", "approved", False),
        ("ready", "none", False),
    ],
)
def test_publish_guard(draft, status, subtitles, blocked):
    video = factories.make_video(status=status, subtitles=subtitles)
    page = factories.attach_video(draft, video)
    revision = page.get_latest_revision()
    if blocked:
        with pytest.raises(ValidationError, match="操作演示|cannot be published"):
            revision.publish()
        draft.refresh_from_db()
        assert not draft.live
    else:
        revision.publish()
        draft.refresh_from_db()
        assert draft.live


def test_approving_the_subtitles_unblocks_publication(draft):
    video = factories.make_video(subtitles="auto")
    page = factories.attach_video(draft, video)
    editor = factories.make_user("ed", roles.EDITORS)
    services.subtitles_save(
        asset=video, cues=[{"start": 0.0, "end": 2.0, "text": "打开应用"}], user=editor, submit=True
    )
    with pytest.raises(ValidationError):  # submitted is not approved
        page.get_latest_revision().publish()
    services.subtitles_approve(asset=video, user=factories.make_user("mod", roles.MODERATORS))
    page.get_latest_revision().publish()
    draft.refresh_from_db()
    assert draft.live


def test_a_pending_working_copy_does_not_block_an_approved_video(draft):
    video = factories.make_video(subtitles="approved")
    page = factories.attach_video(draft, video)
    editor = factories.make_user("ed", roles.EDITORS)
    services.subtitles_save(asset=video, cues=[{"start": 0.0, "end": 2.0, "text": "改过"}], user=editor, submit=True)
    page.get_latest_revision().publish()
    draft.refresh_from_db()
    assert draft.live


def test_admin_publish_shows_the_reason(draft, client):
    video = factories.make_video(subtitles="auto", title="社保查询演示")
    client.force_login(factories.make_user("root", superuser=True))
    data = page_form(
        title=draft.title,
        summary=draft.summary,
        alt="截图",
        category_id=draft.category_id,
        image_id=factories.make_image().pk,
        video_id=video.pk,
    )
    data["slug"] = draft.slug
    response = client.post(reverse("wagtailadmin_pages:edit", args=(draft.pk,)), {**data, "action-publish": "1"})
    assert response.status_code == 200
    assert "社保查询演示" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.live
    # Saving a draft with the same video is fine.
    response = client.post(reverse("wagtailadmin_pages:edit", args=(draft.pk,)), data)
    assert response.status_code == 302


def test_workflow_offers_no_approval_while_subtitles_wait(draft):
    video = factories.make_video(subtitles="auto")
    page = factories.attach_video(draft, video)
    author = factories.make_user("author", roles.EDITORS)
    page.get_workflow().start(page, author)
    draft.refresh_from_db()
    moderator = factories.make_user("mod", roles.MODERATORS)
    actions = [name for name, *_ in draft.current_workflow_task.get_actions(draft, moderator)]
    assert "approve" not in actions and "reject" in actions
    factories.approve_subtitles(video, cues=[{"start": 0.0, "end": 2.0, "text": "好"}], editor=author)
    actions = [name for name, *_ in draft.current_workflow_task.get_actions(draft, moderator)]
    assert "approve" in actions
