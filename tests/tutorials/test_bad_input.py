"""Bad uploads and bad page data get a clear message in the admin and leave nothing behind."""

import json
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images.models import Image
from wagtail.models import Revision

from cms import roles
from tests import factories
from tests.page_forms import page_form
from tutorials.models import TutorialPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(factories.make_user("editor", roles.EDITORS))
    return client


def upload(client, name: str, content: bytes, content_type: str = "image/png"):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": name, "file": SimpleUploadedFile(name, content, content_type=content_type), "collection": 1},
    )


def bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG that claims an enormous size: what a decompression bomb looks like on the wire."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    body = zlib.compress(row * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def form_errors(response) -> str:
    return response.content.decode()


def test_a_text_file_is_refused_as_an_image(editor_client):
    response = upload(editor_client, "notes.png", b"this is not an image at all")
    assert response.status_code == 200
    assert "error" in form_errors(response).lower()
    assert Image.objects.count() == 0


def test_an_executable_extension_is_refused(editor_client):
    response = upload(editor_client, "virus.exe", factories.png_bytes(), "application/octet-stream")
    assert response.status_code == 200
    assert "png" in form_errors(response).lower()
    assert Image.objects.count() == 0


def test_a_decompression_bomb_is_refused(editor_client, settings):
    response = upload(editor_client, "bomb.png", bomb_png(30_000, 30_000))
    assert response.status_code == 200
    body = form_errors(response)
    assert "像素" in body or "pixels" in body
    assert Image.objects.count() == 0


def test_a_real_screenshot_is_accepted(editor_client):
    response = upload(editor_client, "screen.png", factories.png_bytes())
    assert response.status_code == 302
    assert Image.objects.count() == 1


def add_url(index) -> str:
    return reverse("wagtailadmin_pages:add", args=("tutorials", "tutorialpage", index.pk))


def test_valid_tutorial_is_saved_as_draft(editor_client, tutorial_index):
    image = factories.make_image()
    data = page_form(
        title="新教程", summary="简介", alt="首页截图", category_id=factories.make_category().pk, image_id=image.pk
    )
    response = editor_client.post(add_url(tutorial_index), data)
    assert response.status_code == 302, form_errors(response)[:3000]
    page = TutorialPage.objects.get(slug="new-tutorial")
    assert not page.live
    assert page.steps[0].value["screenshots"][0]["alt"] == "首页截图"


@pytest.mark.parametrize(
    "field, value",
    [("alt", ""), ("summary", "长" * 241), ("title", "题" * 256)],
)
def test_invalid_tutorial_is_not_saved_at_all(editor_client, tutorial_index, field, value):
    image = factories.make_image()
    values = {"title": "新教程", "summary": "简介", "alt": "首页截图", field: value}
    data = page_form(category_id=factories.make_category().pk, image_id=image.pk, **values)
    revisions_before = Revision.objects.count()
    response = editor_client.post(add_url(tutorial_index), data)
    assert response.status_code == 200
    body = form_errors(response)
    assert "error" in body.lower()
    if field == "alt":
        # Block errors reach the page inside the editor's JSON data, so non-ASCII text is escaped there.
        assert json.dumps("每张截图都需要填写替代文字")[1:-1] in body
    assert not TutorialPage.objects.filter(slug="new-tutorial").exists()
    assert Revision.objects.count() == revisions_before


def test_image_upload_error_leaves_other_images_alone(editor_client):
    existing = factories.make_image(title="existing")
    upload(editor_client, "broken.png", factories.png_bytes()[:40])
    assert list(Image.objects.all()) == [existing]
    assert existing.file.storage.exists(existing.file.name)
