"""A picture or video whose scan is still queued or running blocks publishing like an open finding: what OCR will
read in it is not known yet. The task queue here is the database one, so scans wait for a worker."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from cms import roles
from privacy import services
from privacy.models import Scan
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    # django-tasks drops its cached backends when the setting changes.
    queues = settings.TASKS["default"]["QUEUES"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": queues}}


def with_screenshot(page, image):
    page = page.get_latest_revision_as_object()
    raw = page.steps.raw_data
    raw[0]["value"]["screenshots"][0]["value"]["image"] = image.pk
    page.steps = raw
    page.save_revision()
    return page


def publish_error(page) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as error:
        page.get_latest_revision().publish()
    page.refresh_from_db()
    assert not page.live
    return " ".join(error.value.messages)


def test_a_picture_still_waiting_for_its_scan_blocks_until_the_scan_ends(
    database_queue, tutorial_index, django_capture_on_commit_callbacks
):
    page = factories.make_tutorial(tutorial_index, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        image = factories.make_image(title="新截图")
    scan = Scan.objects.get(object_id=image.pk, source="image")
    assert scan.status == Scan.Status.PENDING
    assert DBTaskResult.objects.filter(task_path="privacy.tasks.scan_image", args_kwargs__args=[image.pk]).exists()
    page = with_screenshot(page, image)

    message = publish_error(page)
    assert "still running" in message and "新截图" in message
    moderator = factories.make_user("mod", roles.MODERATORS)
    page.get_workflow().start(page, factories.make_user("author", roles.EDITORS))
    page.refresh_from_db()
    assert "approve" not in [name for name, *_ in page.current_workflow_task.get_actions(page, moderator)]

    scan.status = Scan.Status.RUNNING
    scan.save(update_fields=["status"])
    assert "still running" in publish_error(page)

    services.image_scan(image_id=image.pk)  # what the worker runs
    assert Scan.objects.get(pk=scan.pk).status == Scan.Status.DONE
    page.get_latest_revision().publish()
    page.refresh_from_db()
    assert page.live


def test_a_video_still_being_scanned_blocks_with_its_name(
    database_queue, tutorial_index, django_capture_on_commit_callbacks
):
    video = factories.make_video(subtitles="approved", title="办理录屏")
    page = factories.attach_video(factories.make_tutorial(tutorial_index, publish=False), video)
    assert page.privacy_blocking_message() == ""  # no scan asked for (the row was made without its signal)
    with django_capture_on_commit_callbacks(execute=True):
        services.scan_request(obj=video)
    assert Scan.objects.get(object_id=video.pk, source="video").status == Scan.Status.PENDING
    message = publish_error(page)
    assert "办理录屏" in message and "still running" in message
    assert "personal information was found" not in message


def test_a_scan_asked_for_in_a_rolled_back_save_leaves_nothing_waiting(database_queue, tutorial_index):
    # Without a commit the task is never queued; a waiting scan would block the tutorial for good.
    image = factories.make_image(title="未保存")
    assert not Scan.objects.filter(object_id=image.pk).exists()


def test_a_scan_that_crashes_is_marked_failed_not_left_running(monkeypatch, tutorial_index):
    import privacy.detect.ocr

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(privacy.detect.ocr, "find_in_image", crash)
    image = factories.make_image(title="截图")
    with pytest.raises(RuntimeError):
        services.image_scan(image_id=image.pk)
    assert Scan.objects.get(object_id=image.pk, source="image").status == Scan.Status.FAILED
