"""Uploaded originals live in the private storage: admins reach them through a permission-checked view, citizens get
renditions only; deleting an image removes its files; media_make_private moves an older site's originals."""

import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.documents.models import Document

from media.models import VideoAsset
from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def image(site_pages):
    return factories.make_image(title="social-security-card")


def test_an_image_original_is_private_and_its_renditions_public(client, image):
    original = Path(image.file.path)
    assert original.is_relative_to(settings.PRIVATE_MEDIA_ROOT) and image.file.name.startswith("original_images/")
    assert not (Path(settings.MEDIA_ROOT) / image.file.name).exists()
    # Anonymous: neither the old public path nor the private view.
    assert client.get("/media/" + image.file.name).status_code == 404
    assert image.file.url == reverse("private_file", args=(image.file.name,))
    assert client.get(image.file.url).status_code == 404
    # What citizens see is a rendition, on the public media path.
    rendition = image.get_rendition("width-320")
    assert Path(rendition.file.path).is_relative_to(settings.MEDIA_ROOT)
    assert rendition.url.startswith(settings.MEDIA_URL)
    response = client.get(rendition.url)
    assert response.status_code == 200 and body(response)[:4] == b"RIFF"  # WebP


@pytest.mark.parametrize(
    "groups, superuser, status",
    [
        (("Editors",), False, 200),
        (("Training managers",), False, 200),  # may choose images
        (("Staff learners",), False, 404),
        ((), False, 404),
        ((), True, 200),
    ],
)
def test_the_private_view_checks_permission(client, image, groups, superuser, status):
    client.force_login(factories.make_user("someone", *groups, superuser=superuser))
    response = client.get(image.file.url)
    assert response.status_code == status
    if status == 200:
        assert body(response) == Path(image.file.path).read_bytes()
        assert "private" in response["Cache-Control"]


def test_the_private_view_answers_ranges_and_refuses_escapes(client, image):
    client.force_login(factories.make_user("root", superuser=True))
    size = Path(image.file.path).stat().st_size
    response = client.get(image.file.url, HTTP_RANGE="bytes=0-7")
    assert response.status_code == 206 and response["Content-Range"] == f"bytes 0-7/{size}"
    assert body(response) == b"\x89PNG\r\n\x1a\n"
    assert client.get("/private/../cms/settings.py").status_code == 404
    assert client.get("/private/%2e%2e/cms/settings.py").status_code == 404
    assert client.get("/private/original_images/").status_code == 404
    assert client.get("/private/original_images/nothing.png").status_code == 404


def test_the_image_edit_page_still_works_for_an_editor(client, image):
    client.force_login(factories.make_user("ed", "Editors"))
    response = client.get(reverse("wagtailimages:edit", args=(image.pk,)))
    assert response.status_code == 200
    assert "/media/original_images/" not in response.content.decode()


def test_deleting_an_image_removes_its_original_and_renditions(image, django_capture_on_commit_callbacks):
    original = Path(image.file.path)
    rendition = Path(image.get_rendition("width-320").file.path)
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert not original.exists() and not rendition.exists()


def test_documents_are_private_and_served_by_wagtaildocs(client, site_pages):
    document = Document.objects.create(title="指南", file=ContentFile(b"guide text", name="guide.txt"))
    assert Path(document.file.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert document.url == reverse("wagtaildocs_serve", args=(document.pk, "guide.txt"))
    assert body(client.get(document.url)) == b"guide text"
    assert client.get(document.file.url).status_code == 404
    assert client.get("/media/" + document.file.name).status_code == 404


def _as_before_the_upgrade(stored) -> Path:
    """Put a stored file where a site without PRIVATE_MEDIA_DIR kept it: under MEDIA_ROOT, same name."""
    old = Path(settings.MEDIA_ROOT) / stored.name
    old.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(stored.path, old)
    return old


def test_media_make_private_moves_existing_originals_and_can_run_again(client, image):
    video = factories.make_video()
    old_paths = [_as_before_the_upgrade(image.file), _as_before_the_upgrade(video.file)]
    contents = [path.read_bytes() for path in old_paths]
    # An earlier run cut short while copying the image.
    partial = Path(image.file.path)
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(contents[0][:10])

    out = StringIO()
    call_command("media_make_private", stdout=out)
    assert "moved 2 files" in out.getvalue()
    video.refresh_from_db()
    for old, stored, content in zip(old_paths, (image.file, video.file), contents, strict=True):
        assert not old.exists()
        assert Path(stored.path).read_bytes() == content
    assert client.get("/media/" + image.file.name).status_code == 404

    out = StringIO()
    call_command("media_make_private", stdout=out)
    assert "moved 0 files" in out.getvalue() and "3 were there already" in out.getvalue()  # with the phone version
    assert VideoAsset.objects.get(pk=video.pk).file.name == video.file.name


def test_private_media_dir_inside_media_dir_is_refused(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(VAR_DIR=str(tmp_path), MEDIA_DIR=str(tmp_path / "media"), PRIVATE_MEDIA_DIR=str(tmp_path / "media/p"))
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "PRIVATE_MEDIA_DIR" in result.stderr
