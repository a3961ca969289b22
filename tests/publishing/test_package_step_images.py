"""The WeChat article package carries each step's picture: stored with its SHA-256, in the zip beside the article
(which names them), previewed through the permission-checked views, and under the guard like the rest."""

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from cms import roles
from privacy.models import Source
from privacy.services import Seen, findings_replace
from publishing.models import Package, PackageFile, Publication
from publishing.services import package_zip_stream
from tests import factories
from tests.media.pipeline.test_step_images import images_of
from tests.publishing.package_helpers import STEP_TITLES, built_package, client_for, tutorial_with_steps

pytestmark = pytest.mark.django_db

NAMES = ["step-01.jpg", "step-02.jpg", "step-03.jpg"]


def built(tutorial, slug: str = "wechat-article", user=None) -> Package:
    return built_package(tutorial, slug, user)


@pytest.fixture
def package(tutorial_index) -> Package:
    return built(tutorial_with_steps(tutorial_index))


def test_each_step_picture_is_a_stored_file_with_its_sha256(package):
    rows = list(package.files.filter(role=PackageFile.Role.STEP_IMAGE))
    assert [row.step for row in rows] == [1, 2, 3]
    assert [Path(row.file.name).name for row in rows] == NAMES
    for row in rows:
        data = Path(row.file.path).read_bytes()
        assert row.sha256 == hashlib.sha256(data).hexdigest() and row.size == len(data)
        with Image.open(io.BytesIO(data)) as picture:
            assert picture.format == "JPEG" and picture.size == (720, 1280)  # the screenshots' own size
    # The stored article names them: it opens with its pictures beside it.
    html = package.files.get(role="article_html").file.read().decode("utf-8")
    assert html == package.article_html
    shown = images_of(html)
    assert [image["src"] for image in shown] == NAMES
    assert [image["alt"] for image in shown] == [f"第{n}步：{title}" for n, title in enumerate(STEP_TITLES, 1)]


def test_the_zip_holds_the_pictures_beside_the_article(package):
    archive = zipfile.ZipFile(io.BytesIO(b"".join(package_zip_stream(package=package))))
    names = set(archive.namelist())
    assert {*NAMES, "article.html"} <= names
    assert {src["src"] for src in images_of(archive.read("article.html").decode("utf-8"))} <= names
    for row in package.files.filter(role=PackageFile.Role.STEP_IMAGE):
        assert hashlib.sha256(archive.read(Path(row.file.name).name)).hexdigest() == row.sha256


def test_the_preview_shows_the_pictures_through_the_gated_views(package):
    officer = factories.make_user("officer", roles.PUBLICITY_OFFICERS)
    editor = factories.make_user("editor", roles.EDITORS)
    client = client_for(officer)

    article = client.get(reverse("package_file", args=[package.pk, "article_html"]))
    assert article.status_code == 200
    # The frame keeps the site's origin, so the pictures load with the officer's session; it still runs nothing.
    policy = article["Content-Security-Policy"]
    assert "sandbox allow-same-origin" in policy and "allow-scripts" not in policy and "script-src" not in policy
    shown = images_of(article.content.decode("utf-8"))
    expected = ["http://testserver" + reverse("package_step_image", args=[package.pk, step]) for step in (1, 2, 3)]
    assert [image["src"] for image in shown] == expected
    # Only the addresses differ from the stored article.
    body = article.content.decode("utf-8")
    for name, url in zip(NAMES, expected, strict=True):
        body = body.replace(f'src="{url}"', f'src="{name}"')
    assert package.article_html in body

    rows = {row.step: row for row in package.files.filter(role=PackageFile.Role.STEP_IMAGE)}
    for step, url in enumerate(expected, 1):
        answer = client.get(url)
        assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
        assert hashlib.sha256(b"".join(answer.streaming_content)).hexdigest() == rows[step].sha256
        anonymous = client_for().get(url)
        assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
        refused = client_for(editor).get(url)
        assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
        # The stored file's own address answers nobody without the right either.
        assert client_for().get(rows[step].file.url).status_code == 404
        assert client_for(editor).get(rows[step].file.url).status_code == 404
    assert client.get(reverse("package_step_image", args=[package.pk, 4])).status_code == 404
    assert client.get(reverse("package_file", args=[package.pk, "step_image"])).status_code == 404

    # The build panel previews each picture under its step.
    page = client.get(reverse("wagtailsnippets_publishing_package:edit", args=[package.pk])).content.decode()
    for url in expected:
        assert f'src="{url.removeprefix("http://testserver")}"' in page
    assert 'class="package-files__article" sandbox="allow-same-origin"' in page


def test_a_step_without_a_screenshot_has_no_picture(tutorial_index):
    tutorial = tutorial_with_steps(tutorial_index)
    latest = tutorial.get_latest_revision_as_object()
    raw = latest.steps.raw_data
    raw[1]["value"]["screenshots"] = []
    latest.steps = raw
    latest.save_revision().publish()
    tutorial.refresh_from_db()

    package = built(tutorial)
    assert list(package.files.filter(role="step_image").values_list("step", flat=True)) == [1, 3]
    assert [image["src"] for image in images_of(package.article_html)] == ["step-01.jpg", "step-03.jpg"]


def test_what_went_out_records_every_step_picture(tutorial_index):
    moderator = factories.make_user("moderator", roles.MODERATORS)
    officer = factories.make_user("officer", roles.PUBLICITY_OFFICERS)
    package = built(tutorial_with_steps(tutorial_index), user=officer)
    package.get_workflow().start(package, officer)
    package.refresh_from_db()
    task_state = package.current_workflow_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")

    (publication,) = Publication.objects.filter(package=package)
    pictures = {row.key: row.sha256 for row in package.files.filter(role="step_image")}
    assert set(pictures) == {"step_image:1", "step_image:2", "step_image:3"}
    assert len(set(pictures.values())) == 1  # the three steps show the same screenshot
    assert publication.files == {row.key: row.sha256 for row in package.files.all()}


def test_an_open_finding_in_a_pictured_screenshot_stops_the_article_package(tutorial_index):
    """The step pictures are the tutorial's screenshots: the guard's findings on those stop the package."""
    moderator = factories.make_user("moderator", roles.MODERATORS)
    officer = factories.make_user("officer", roles.PUBLICITY_OFFICERS)
    tutorial = tutorial_with_steps(tutorial_index)
    package = built(tutorial, user=officer)
    screenshot = tutorial.screenshot_images()[0]
    findings_replace(
        obj=screenshot,
        sources=[Source.IMAGE],
        seen=[Seen(source=Source.IMAGE, field="picture", kind="mobile", masked="138****5678", fingerprint="f" * 64)],
    )
    package.get_workflow().start(package, officer)
    package.refresh_from_db()
    task_state = package.current_workflow_task_state
    assert "approve" not in [name for name, *_ in task_state.task.specific.get_actions(package, moderator)]
    assert "138****5678" in package.privacy_blocking_message()
    with pytest.raises(ValidationError, match="138"):
        package.get_latest_revision().publish(user=moderator)
    assert not Publication.objects.exists()
