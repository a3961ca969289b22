"""A package build holds a lease: a worker that dies mid-build leaves a build that counts as failed once the lease
is older than the timeout, the admin offers a rebuild, and two builds of one package never run at once."""

import datetime
import threading

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from cms import roles
from publishing import services
from publishing import tasks as publishing_tasks
from publishing.models import Package, PackageFile
from publishing.services import package_build, package_rebuild
from tests import factories
from tests.publishing.package_helpers import channel, tutorial_with_steps

STALLED = "The build stopped without finishing; rebuild it."


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def queued(tutorial, user=None) -> Package:
    package = Package(tutorial=tutorial, channel=channel("poster"), created_by=user, live=False)
    package.save()
    package.save_revision(user=user)
    return package


def left_building(package: Package, *, minutes_ago: float) -> Package:
    """What a worker that died mid-build leaves behind: BUILDING, last heard from ``minutes_ago``."""
    when = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Package.objects.filter(pk=package.pk).update(
        build_status=Package.BuildStatus.BUILDING,
        build_progress=0.4,
        build_stage="Drawing the A4 poster",
        build_started_at=when,
        build_heartbeat_at=when,
    )
    package.refresh_from_db()
    return package


def officer_client() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(factories.make_user("officer", roles.PUBLICITY_OFFICERS))
    return client


@pytest.mark.django_db
def test_a_build_not_heard_from_within_the_timeout_counts_as_failed(tutorial_index, settings):
    settings.PACKAGE_BUILD_TIMEOUT_MINUTES = 30
    package = left_building(queued(tutorial_with_steps(tutorial_index)), minutes_ago=29)
    client = officer_client()

    status = client.get(reverse("package_status", args=[package.pk])).json()
    assert status["status"] == "building" and status["failure_reason"] == ""
    edit = client.get(reverse("wagtailsnippets_publishing_package:edit", args=[package.pk])).content.decode()
    assert "data-rebuild" not in edit
    assert not package.build_stalled

    package = left_building(package, minutes_ago=31)
    assert package.build_stalled
    status = client.get(reverse("package_status", args=[package.pk])).json()
    assert status["status"] == "failed" and status["status_label"] == "Failed"
    assert status["failure_reason"] == STALLED and status["stage"] == ""
    edit = client.get(reverse("wagtailsnippets_publishing_package:edit", args=[package.pk])).content.decode()
    assert "data-rebuild" in edit and STALLED in edit
    listing = BeautifulSoup(client.get(reverse("wagtailsnippets_publishing_package:list")).content, "html.parser")
    [row] = listing.select("table tbody tr")
    cells = [cell.get_text(" ", strip=True) for cell in row.select("td")]
    assert "Failed" in cells and "Building" not in cells
    assert "it is not built (Failed)" in package.publication_blocking_message()

    # The timeout is a setting.
    settings.PACKAGE_BUILD_TIMEOUT_MINUTES = 60
    assert not package.build_stalled
    assert client.get(reverse("package_status", args=[package.pk])).json()["status"] == "building"


@pytest.mark.django_db
def test_a_stalled_build_is_rebuilt_from_the_admin(tutorial_index, django_capture_on_commit_callbacks):
    package = left_building(queued(tutorial_with_steps(tutorial_index)), minutes_ago=45)
    client = officer_client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("package_rebuild", args=[package.pk]))
    assert response.status_code == 302
    package.refresh_from_db()
    assert package.build_status == Package.BuildStatus.READY, package.failure_reason
    assert set(package.files.values_list("role", flat=True)) == {"poster_a4", "poster_a3", "cover"}
    assert client.get(reverse("package_status", args=[package.pk])).json()["failure_reason"] == ""


@pytest.mark.django_db
def test_a_live_build_is_not_rebuilt_nor_built_twice(tutorial_index):
    package = left_building(queued(tutorial_with_steps(tutorial_index)), minutes_ago=1)
    with pytest.raises(ValidationError, match="being built already"):
        package_rebuild(package=package, user=None)

    # A second task for the package finds the lease current and leaves the build to its holder.
    assert publishing_tasks.package_build.enqueue(package.pk).return_value == "building"
    again = package_build(package_id=package.pk)
    assert again.build_status == Package.BuildStatus.BUILDING
    assert again.build_started_at == package.build_started_at
    assert not PackageFile.objects.filter(package=package).exists()

    # Once the lease has run out, a task takes the build over.
    package = left_building(package, minutes_ago=31)
    assert publishing_tasks.package_build.enqueue(package.pk).return_value == "ready"


@pytest.mark.django_db
def test_progress_renews_the_lease(tutorial_index, monkeypatch):
    package = queued(tutorial_with_steps(tutorial_index))
    real = services.render_package
    heard = []

    def render(spec, out, *, channel, progress):
        def watched(fraction, role):
            progress(fraction, role)
            heard.append(Package.objects.values_list("build_heartbeat_at", flat=True).get(pk=package.pk))

        return real(spec, out, channel=channel, progress=watched)

    monkeypatch.setattr(services, "render_package", render)
    package = package_build(package_id=package.pk)
    assert package.build_status == Package.BuildStatus.READY, package.failure_reason
    assert len(heard) >= 3
    assert heard[0] > package.build_started_at
    assert heard == sorted(heard) and heard[-1] > heard[0]


@pytest.mark.django_db
def test_a_stalled_build_that_finishes_after_a_takeover_stores_nothing(tutorial_index, monkeypatch, settings):
    package = queued(tutorial_with_steps(tutorial_index))
    real = services.render_package
    takeover = timezone.now() + datetime.timedelta(seconds=5)

    def render(spec, out, *, channel, progress):
        rendered = real(spec, out, channel=channel, progress=progress)
        # While this worker was silent past the timeout, another build took the package over.
        Package.objects.filter(pk=package.pk).update(build_started_at=takeover, build_heartbeat_at=takeover)
        return rendered

    monkeypatch.setattr(services, "render_package", render)
    result = package_build(package_id=package.pk)
    assert result.build_status == Package.BuildStatus.BUILDING
    assert result.build_started_at == takeover
    assert not PackageFile.objects.filter(package=package).exists()
    folder = settings.PRIVATE_MEDIA_ROOT / "packages" / str(package.pk)
    assert not folder.exists() or not any(path.is_file() for path in folder.rglob("*"))


@pytest.mark.django_db(transaction=True)
def test_two_tasks_for_one_package_do_not_both_build(site_pages, monkeypatch):
    package = queued(tutorial_with_steps(site_pages[1]))
    real = services.render_package
    rendering, release = threading.Event(), threading.Event()
    renders = []

    def render(spec, out, *, channel, progress):
        renders.append(threading.get_ident())
        rendering.set()
        assert release.wait(60)
        return real(spec, out, channel=channel, progress=progress)

    monkeypatch.setattr(services, "render_package", render)
    results = {}

    def first_worker():
        try:
            results["first"] = package_build(package_id=package.pk).build_status
        finally:
            connection.close()

    worker = threading.Thread(target=first_worker)
    worker.start()
    try:
        assert rendering.wait(60)
        results["second"] = package_build(package_id=package.pk).build_status
    finally:
        release.set()
        worker.join(120)
    assert results == {"first": Package.BuildStatus.READY, "second": Package.BuildStatus.BUILDING}
    assert len(renders) == 1
