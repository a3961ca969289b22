"""The guard for any model that declares its text and files (courses, packages): scanned on save in a task,
blocking while a finding is open or a scan is unfinished. A Wagtail document stands in for such a model here."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import translation
from wagtail.documents.models import Document

from cms import roles
from privacy import selectors, services, tasks
from privacy.models import Finding, Scan
from privacy.selectors import FilePlace, TextPlace
from tests import factories
from tests.privacy.conftest import ID, screen_with_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def guarded(monkeypatch, settings):
    queues = settings.TASKS["default"]["QUEUES"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": queues}}
    declared = {
        "privacy_text_places": lambda self: [TextPlace("title", self.title)],
        "privacy_file_places": lambda self: [FilePlace("poster", self.file)],
        "privacy_blocking_message": lambda self: selectors.privacy_blocking_message(obj=self),
    }
    for name, method in declared.items():
        monkeypatch.setattr(Document, name, method, raising=False)


def poster_with_id() -> ContentFile:
    image, _ = screen_with_text([("身份证号", 40, 300), (ID, 300, 300)])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="poster.png")


def message(obj) -> str:
    with translation.override("en"):
        return obj.privacy_blocking_message()


def test_a_declared_model_is_scanned_in_a_task_and_blocked_until_cleared(guarded, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = Document.objects.create(title="海报 联系 13812345678", file=poster_with_id())
        services.scan_request(obj=document)
    assert Scan.objects.get(object_id=document.pk, source="image").status == Scan.Status.PENDING
    assert "still running" in message(document)

    tasks.scan_object.call(ContentType.objects.get_for_model(Document).pk, document.pk)  # what the worker runs
    findings = selectors.findings_open_for(document)
    assert sorted((f.source, f.field, f.masked) for f in findings) == [
        ("image", "poster", "1101**********4514"),
        ("text", "title", "138****5678"),
    ]
    picture = next(f for f in findings if f.source == "image")
    assert 280 <= picture.box[1] < picture.box[3] <= 360
    text = message(document)
    assert "1101**********4514" in text and "138****5678 in the title" in text and "still running" not in text

    services.finding_override(
        finding=picture, user=factories.make_user("mod", roles.MODERATORS), reason="海报上的样例号码，不是真人的。"
    )
    document.title = "海报"  # the text is read again when asked, before any rescan
    assert message(document) == ""
    tasks.scan_object.call(ContentType.objects.get_for_model(Document).pk, document.pk)
    assert Finding.objects.get(pk=picture.pk).status == Finding.Status.OVERRIDDEN  # an override outlives a rescan
