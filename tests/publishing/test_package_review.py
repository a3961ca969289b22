"""Review and publication of channel packages: a second person approves, only while nothing blocks; what went out
is recorded; scheduled publication; packages going out of date when their tutorial changes."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from cms import roles
from privacy.models import Finding, Scan, Source
from privacy.services import Seen, findings_replace, text_scan
from publishing.models import Package, Publication
from publishing.services import package_create, packages_mark_out_of_date
from tests import factories
from tests.publishing.package_helpers import built_package, channel, tutorial_with_steps

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def officer():
    user = factories.make_user("officer", roles.PUBLICITY_OFFICERS)
    user.email = "officer@example.gov.cn"
    user.save()
    return user


@pytest.fixture
def moderator():
    return factories.make_user("moderator", roles.MODERATORS)


def ready_package(tutorial, user, slug="poster") -> Package:
    return built_package(tutorial, slug, user)


def submit(package, user):
    package.get_workflow().start(package, user)
    package.refresh_from_db()
    task_state = package.current_workflow_task_state
    return task_state, task_state.task.specific


def actions(task, package, user) -> list[str]:
    return [name for name, *_ in task.get_actions(package, user)]


def test_packages_are_under_the_two_person_review(officer, moderator, tutorial_index):
    package = ready_package(tutorial_with_steps(tutorial_index), officer)
    task_state, task = submit(package, officer)

    assert actions(task, package, officer) == []  # the author cannot approve
    assert "approve" in actions(task, package, moderator)
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, officer, "approve")

    reviewer = Client()
    reviewer.force_login(moderator)
    assert reviewer.get(reverse("wagtailsnippets_publishing_package:edit", args=[package.pk])).status_code == 200
    before = timezone.now()
    task.on_action(task_state, moderator, "approve")
    package.refresh_from_db()
    assert package.live

    (publication,) = Publication.objects.filter(package=package)
    assert publication.channel == package.channel
    assert publication.published_by == moderator
    assert publication.published_at >= before
    assert publication.files == {row.role: row.sha256 for row in package.files.all()}
    assert set(publication.files) == {"poster_a4", "poster_a3", "cover"}
    assert all(len(digest) == 64 for digest in publication.files.values())


def test_a_package_whose_tutorial_has_an_open_finding_cannot_be_approved_or_published(
    officer, moderator, tutorial_index
):
    tutorial = tutorial_with_steps(tutorial_index)
    package = ready_package(tutorial, officer)
    # What OCR of a step's screenshot would record when it shows a mobile number.
    screenshot = tutorial.screenshot_images()[0]
    findings_replace(
        obj=screenshot,
        sources=[Source.IMAGE],
        seen=[Seen(source=Source.IMAGE, field="picture", kind="mobile", masked="138****5678", fingerprint="f" * 64)],
    )
    task_state, task = submit(package, officer)

    assert "approve" not in actions(task, package, moderator)
    assert "138****5678" in package.privacy_blocking_message()
    with pytest.raises(ValidationError, match="138"):
        package.get_latest_revision().publish(user=moderator)
    assert not Publication.objects.exists()


def _place(field, text):
    from privacy.selectors import TextPlace

    return TextPlace(field, text)


def test_a_tutorial_without_approved_subtitles_cannot_be_packaged(officer, tutorial_index):
    from tests.publishing.package_helpers import with_video

    tutorial = tutorial_with_steps(tutorial_index)
    video = factories.make_video(subtitles="approved")
    tutorial = with_video(tutorial, video)
    # Published while its subtitles were approved; now a working copy awaits review and none is approved.
    type(video).objects.filter(pk=video.pk).update(subtitles="auto")

    with pytest.raises(ValidationError, match="no approved subtitles"):
        package_create(tutorial=tutorial, channel=channel("douyin"), user=officer)
    assert not Package.objects.exists()


def test_a_tutorial_with_an_open_finding_cannot_be_packaged(officer, tutorial_index):
    tutorial = tutorial_with_steps(tutorial_index)
    text_scan(obj=tutorial, places=[_place("summary", "身份证 11010519491231002X")])
    with pytest.raises(ValidationError, match="personal information"):
        package_create(tutorial=tutorial, channel=channel("poster"), user=officer)

    client = Client()
    client.force_login(officer)
    response = client.post(
        reverse("wagtailsnippets_publishing_package:add"),
        {"tutorial": tutorial.pk, "channel": channel("poster").pk},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Package.objects.exists()


def test_an_officer_asks_for_a_package_from_the_admin(officer, tutorial_index, django_capture_on_commit_callbacks):
    tutorial = tutorial_with_steps(tutorial_index)
    client = Client()
    client.force_login(officer)
    form = client.get(reverse("wagtailsnippets_publishing_package:add") + f"?tutorial={tutorial.pk}")
    assert form.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailsnippets_publishing_package:add"),
            {"tutorial": tutorial.pk, "channel": channel("poster").pk},
        )
    assert response.status_code == 302
    package = Package.objects.get()
    assert package.created_by == officer
    assert package.build_status == Package.BuildStatus.READY, package.failure_reason

    edit = client.get(reverse("wagtailsnippets_publishing_package:edit", args=[package.pk])).content.decode()
    for role in ("poster_a4", "poster_a3", "cover"):
        assert reverse("package_file", args=[package.pk, role]) in edit
    assert reverse("package_zip", args=[package.pk]) in edit
    status = client.get(reverse("package_status", args=[package.pk])).json()
    assert status["status"] == "ready" and status["progress"] == 100

    # Whoever may edit the tutorial and ask for packages finds the button on the tutorial's edit view.
    admin = Client()
    admin.force_login(factories.make_user("admin", superuser=True))
    header = admin.get(reverse("wagtailadmin_pages:edit", args=[tutorial.pk])).content.decode()
    assert reverse("wagtailsnippets_publishing_package:add") + f"?tutorial={tutorial.pk}" in header


def test_scheduled_publication_happens_at_the_chosen_time(officer, tutorial_index):
    admin = factories.make_user("admin", superuser=True)
    package = ready_package(tutorial_with_steps(tutorial_index), officer)
    when = timezone.now() + datetime.timedelta(hours=2)
    package.go_live_at = when
    revision = package.save_revision(user=officer)
    revision.publish(user=admin)
    package.refresh_from_db()
    assert not package.live and not Publication.objects.exists()

    call_command("publish_scheduled")
    assert not Publication.objects.exists()  # not yet due

    # The chosen time comes: the revision's time is moved back rather than waiting for it.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.refresh_from_db()
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    package.refresh_from_db()
    assert package.live
    (publication,) = Publication.objects.all()
    assert publication.scheduled_for is not None
    assert publication.files == {row.role: row.sha256 for row in package.files.all()}


def republish(tutorial, *, title: str):
    latest = tutorial.get_latest_revision_as_object()
    raw = latest.steps.raw_data
    raw[0]["value"]["title"] = title
    latest.steps = raw
    latest.save_revision().publish()
    tutorial.refresh_from_db()
    return tutorial


def test_republishing_the_tutorial_marks_its_packages_out_of_date(
    officer, moderator, tutorial_index, django_capture_on_commit_callbacks
):
    tutorial = tutorial_with_steps(tutorial_index)
    package = ready_package(tutorial, officer)
    other_officer = factories.make_user("officer2", roles.PUBLICITY_OFFICERS)
    other_officer.email = "officer2@example.gov.cn"
    other_officer.save()

    with django_capture_on_commit_callbacks(execute=True):
        republish(tutorial, title="打开新版粤省事小程序")
    package.refresh_from_db()
    assert package.out_of_date
    assert tutorial.title in package.out_of_date_message()
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "officer2@example.gov.cn",
        "officer@example.gov.cn",
    ]
    assert packages_mark_out_of_date(tutorial_id=tutorial.pk) == []  # told once

    client = Client()
    client.force_login(officer)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "data-out-of-date-packages" in dashboard and "修改并重新发布" in dashboard  # the officer reads Chinese

    task_state, task = submit(package, officer)
    assert "approve" not in actions(task, package, moderator)
    with translation.override("en"), pytest.raises(ValidationError, match="out of date"):  # the client's request
        package.get_latest_revision().publish(user=moderator)  # left the site's language active

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("package_rebuild", args=[package.pk]))
    assert response.status_code == 302
    package.refresh_from_db()
    assert not package.out_of_date
    assert package.build_status == Package.BuildStatus.READY
    assert package.tutorial_revision_id == tutorial.live_revision_id


def test_the_guard_reads_the_built_package(officer, moderator, tutorial_index):
    tutorial = tutorial_with_steps(tutorial_index)
    weibo = channel("weibo")
    weibo.hashtags = "政务服务, 13812345678"  # a mistyped topic: a mobile number lands in the post
    weibo.save()
    package = ready_package(tutorial, officer, slug="weibo")

    (finding,) = Finding.objects.filter(object_id=package.pk, status="open", field="weibo")
    assert finding.masked == "138****5678"
    assert Scan.objects.filter(object_id=package.pk, source=Source.TEXT).exists()
    task_state, task = submit(package, officer)
    assert "approve" not in actions(task, package, moderator)
    with pytest.raises(ValidationError, match="138"):
        package.get_latest_revision().publish(user=moderator)
