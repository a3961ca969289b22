"""The findings panel, the picture with its box, and the mask and override screens."""

import io

import pytest
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.models import PageLogEntry

from cms import roles
from privacy import selectors, services
from privacy.models import Finding
from tests import factories
from tests.page_forms import page_form

pytestmark = pytest.mark.django_db


def login(client, username, *groups, superuser=False):
    user = factories.make_user(username, *groups, superuser=superuser)
    client.force_login(user)
    return user


def the_finding(page) -> Finding:
    (finding,) = selectors.findings_open_for(page.get_latest_revision_as_object())
    return finding


def test_edit_view_shows_each_finding_where_it_is(client, draft_with_id):
    page, image = draft_with_id
    login(client, "ed", roles.EDITORS)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    finding = the_finding(page)
    assert "1101**********4514" in html
    assert reverse("privacy:finding_picture", args=(finding.pk,)) in html
    assert reverse("privacy:finding_mask", args=(finding.pk,)) in html
    assert reverse("privacy:finding_override", args=(finding.pk,)) not in html  # editors cannot override
    assert "privacy/findings.css" in html
    assert ' style="' not in html.split('class="privacy-findings"')[1].split("</section>")[0]


def test_picture_has_the_box_drawn_in_red(client, draft_with_id):
    page, _ = draft_with_id
    login(client, "ed", roles.EDITORS)
    finding = the_finding(page)
    response = client.get(reverse("privacy:finding_picture", args=(finding.pk,)))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    picture = PILImage.open(io.BytesIO(response.content)).convert("RGB")
    scale = picture.width / 720
    left, top, right, _ = finding.box
    edge = picture.getpixel((int((left + right) / 2 * scale), max(0, int((top - 3) * scale))))
    assert edge[0] > 180 and edge[1] < 90 and edge[2] < 90


def test_anonymous_and_learners_cannot_see_findings(client, draft_with_id):
    page, _ = draft_with_id
    url = reverse("privacy:finding_picture", args=(the_finding(page).pk,))
    assert client.get(url).status_code in (302, 403)
    login(client, "learner", roles.STAFF_LEARNERS)
    assert client.get(url).status_code in (302, 403)


def test_direct_publish_from_the_edit_view_is_refused_with_the_reason(client, draft_with_id):
    page, image = draft_with_id
    login(client, "root", superuser=True)
    data = page_form(
        title=page.title, summary=page.summary, alt="截图", category_id=page.category_id, image_id=image.pk
    )
    data["slug"] = page.slug
    response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), {**data, "action-publish": "1"})
    assert response.status_code == 200
    assert "1101**********4514" in response.content.decode()
    page.refresh_from_db()
    assert not page.live


def test_editor_cannot_override_through_the_admin(client, draft_with_id):
    page, _ = draft_with_id
    login(client, "ed", roles.EDITORS)
    url = reverse("privacy:finding_override", args=(the_finding(page).pk,))
    # The admin answers a refused permission by sending the user to the dashboard with a message.
    assert client.get(url)["Location"] == reverse("wagtailadmin_home")
    assert client.post(url, {"reason": "我觉得没关系，直接发布吧。"})["Location"] == reverse("wagtailadmin_home")
    assert the_finding(page).status == Finding.Status.OPEN


def test_moderator_overrides_with_a_reason_and_site_history_shows_it(client, draft_with_id):
    page, _ = draft_with_id
    login(client, "mod", roles.MODERATORS)
    finding = the_finding(page)
    url = reverse("privacy:finding_override", args=(finding.pk,))
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "短", "page": page.pk})
    assert response.status_code == 200 and Finding.objects.get(pk=finding.pk).status == Finding.Status.OPEN
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    response = client.post(url, {"reason": "培训用的虚构样例号码。", "page": page.pk, "next": edit})
    assert response.status_code == 302 and response["Location"] == edit
    assert PageLogEntry.objects.filter(page=page, action=services.OVERRIDE_ACTION).count() == 1
    login(client, "root", superuser=True)
    history = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "培训用的虚构样例号码。" in history


def test_mask_screen_masks_and_the_rescan_clears_it(client, draft_with_id, django_capture_on_commit_callbacks):
    page, _ = draft_with_id
    login(client, "ed", roles.EDITORS)
    finding = the_finding(page)
    url = reverse("privacy:finding_mask", args=(finding.pk,))
    assert client.get(url).status_code == 200
    bad = client.post(url, {"method": "box", "left": 50, "top": 10, "right": 20, "bottom": 40})
    assert bad.status_code == 200 and bad.context["form"].non_field_errors()
    left, top, right, bottom = finding.box
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"method": "blur", "left": left, "top": top, "right": right, "bottom": bottom})
    assert response.status_code == 302
    assert Finding.objects.get(pk=finding.pk).status == Finding.Status.MASKED
    assert selectors.findings_open_for(page.get_latest_revision_as_object()) == []


def test_panel_shows_a_running_video_scan_with_its_progress(client, tutorial_index):
    from django.contrib.contenttypes.models import ContentType

    from media.models import VideoAsset
    from privacy.models import Scan

    video = factories.make_video(subtitles="approved", title="录屏演示")
    page = factories.attach_video(factories.make_tutorial(tutorial_index, publish=False), video)
    Scan.objects.create(
        content_type=ContentType.objects.get_for_model(VideoAsset),
        object_id=video.pk,
        source="video",
        status=Scan.Status.RUNNING,
        progress=0.4,
    )
    login(client, "ed", roles.EDITORS)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    section = html.split('class="privacy-findings"')[1].split("</section>")[0]
    assert "录屏演示" in section and '<progress value="40" max="100">' in section
