"""A deleted certificate's PNG and PDF leave the private storage once the deletion is committed, however it is deleted
(one row, a queryset, the holder's account); a rolled-back deletion keeps them."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from tests.training import builders
from training import services
from training.models import Certificate
from training.tasks import delete_certificate_files


@pytest.fixture
def course(departments):
    return builders.course(
        "社保业务入门", departments=[departments["county"]], lessons=[{"title": "第一课", "body": "<p>一</p>"}]
    )


def issue(profile, course, capture) -> Certificate:
    with capture(execute=True):
        for lesson in course.lessons.all():
            services.lesson_mark_done(user=profile.user, lesson=lesson, how="marked_done")
    certificate = Certificate.objects.get(user=profile.user)
    assert certificate.png and certificate.pdf
    return certificate


def files(certificate: Certificate) -> list[Path]:
    paths = [Path(default_storage.path(stored.name)) for stored in (certificate.png, certificate.pdf)]
    assert all(path.exists() for path in paths)
    return paths


@pytest.fixture
def learners(departments):
    return [builders.staff(name, departments["office"]) for name in ("李小明", "王芳")]


def test_deleting_a_certificate_removes_its_files_after_the_commit(
    learners, course, django_capture_on_commit_callbacks
):
    certificate = issue(learners[0], course, django_capture_on_commit_callbacks)
    kept = files(issue(learners[1], course, django_capture_on_commit_callbacks))
    paths = files(certificate)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        certificate.delete()
    assert all(path.exists() for path in paths) and len(queued) == 1
    queued[0]()
    assert not any(path.exists() for path in paths)
    assert all(path.exists() for path in kept)


def test_a_rolled_back_deletion_keeps_the_files(learners, course, django_capture_on_commit_callbacks):
    certificate = issue(learners[0], course, django_capture_on_commit_callbacks)
    paths, pk = files(certificate), certificate.pk
    with django_capture_on_commit_callbacks(execute=True) as queued:
        with pytest.raises(RuntimeError), transaction.atomic():
            certificate.delete()
            raise RuntimeError("the request failed after the delete")
    assert queued == []
    assert Certificate.objects.filter(pk=pk).exists()
    assert all(path.exists() for path in paths)


@pytest.mark.parametrize("how", ["queryset", "holder"])
def test_queryset_and_cascade_deletions_remove_the_files(learners, course, django_capture_on_commit_callbacks, how):
    paths = [path for learner in learners for path in files(issue(learner, course, django_capture_on_commit_callbacks))]
    with django_capture_on_commit_callbacks(execute=True):
        if how == "queryset":
            Certificate.objects.all().delete()
        else:
            for learner in learners:
                learner.user.delete()
    assert not Certificate.objects.exists()
    assert not any(path.exists() for path in paths)


def test_a_name_a_certificate_still_holds_is_kept_and_a_second_run_is_harmless(
    learners, course, django_capture_on_commit_callbacks
):
    certificate = issue(learners[0], course, django_capture_on_commit_callbacks)
    paths = files(certificate)
    assert delete_certificate_files.call([certificate.png.name, certificate.pdf.name]) == 0
    assert all(path.exists() for path in paths)
    names = [certificate.png.name, certificate.pdf.name]
    Certificate.objects.filter(pk=certificate.pk).update(png="", pdf="")  # no signal: the row lets go of them
    assert delete_certificate_files.call(names) == 2
    assert delete_certificate_files.call(names) == 0
    assert not any(path.exists() for path in paths)
