"""A package's files are read only through permission-checked views: previews, a poster page, the zip."""

import io
import zipfile

import pytest
from django.urls import reverse

from cms import roles
from publishing.models import Package
from publishing.services import package_build
from tests import factories
from tests.publishing.package_helpers import built_package, channel, client_for, tutorial_with_steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(tutorial_index):
    return built_package(tutorial_with_steps(tutorial_index), "wechat-article")


def test_nobody_without_the_right_reads_a_package_file(package):
    editor = factories.make_user("editor", roles.EDITORS)
    urls = [
        reverse("package_file", args=[package.pk, "long_image"]),
        reverse("package_file", args=[package.pk, "article_html"]),
        reverse("package_status", args=[package.pk]),
        reverse("package_zip", args=[package.pk]),
    ]
    for url in urls:
        anonymous = client_for().get(url)
        assert anonymous.status_code == 302 and "/login/" in anonymous["Location"], url
        # The admin answers a refused view with a redirect to the dashboard and a "no permission" message.
        refused = client_for(editor).get(url)
        assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home"), url
    # The stored file's own address (the private storage's view) answers nobody without the right either.
    stored_url = package.files.get(role="long_image").file.url
    assert client_for().get(stored_url).status_code == 404
    assert client_for(editor).get(stored_url).status_code == 404


def test_officers_preview_every_file(package):
    officer = factories.make_user("officer", roles.PUBLICITY_OFFICERS)
    client = client_for(officer)
    image = client.get(reverse("package_file", args=[package.pk, "long_image"]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")
    article = client.get(reverse("package_file", args=[package.pk, "article_html"]))
    assert article.status_code == 200
    # Shown in a sandboxed frame: the article may run nothing.
    assert "sandbox" in article["Content-Security-Policy"] and "script-src" not in article["Content-Security-Policy"]
    # The stored article names its pictures (step-01.jpg …); the preview gives their addresses here.
    preview = package.article_html
    for step in (1, 2, 3):
        url = "http://testserver" + reverse("package_step_image", args=[package.pk, step])
        preview = preview.replace(f'src="step-{step:02d}.jpg"', f'src="{url}"')
    assert preview != package.article_html and preview.encode() in article.content
    assert client.get(package.files.get(role="cover").file.url).status_code == 200


def test_a_poster_page_previews_as_a_picture(tutorial_index):
    officer = factories.make_user("officer", roles.PUBLICITY_OFFICERS)
    poster = Package(tutorial=tutorial_with_steps(tutorial_index), channel=channel("poster"), live=False)
    poster.save()
    poster.save_revision()
    package_build(package_id=poster.pk)
    response = client_for(officer).get(reverse("package_file_page", args=[poster.pk, "poster_a3"]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


def test_the_zip_holds_every_file(package):
    officer = factories.make_user("officer", roles.PUBLICITY_OFFICERS)
    response = client_for(officer).get(reverse("package_zip", args=[package.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    names = {row.key: row.file.name.rsplit("/", 1)[-1] for row in package.files.all()}
    assert sorted(archive.namelist()) == sorted(names.values())
    for row in package.files.all():
        with row.file.open("rb") as handle:
            assert archive.read(names[row.key]) == handle.read()


def test_only_an_administrator_may_allow_a_private_webhook():
    from wagtail.admin.panels import ObjectList

    from publishing.forms import ChannelForm
    from publishing.models import Channel

    form_class = ObjectList(Channel.panels, base_form_class=ChannelForm).bind_to_model(Channel).get_form_class()
    officer = factories.make_user("officer", roles.PUBLICITY_OFFICERS)
    admin = factories.make_user("admin", superuser=True)
    assert form_class(instance=channel("douyin"), for_user=officer).fields["allow_private_webhook"].disabled
    assert not form_class(instance=channel("douyin"), for_user=admin).fields["allow_private_webhook"].disabled


def test_the_demo_channels():
    from publishing.demo import seed_channels
    from publishing.models import Channel

    assert seed_channels() == 6
    assert seed_channels() == 0
    assert set(Channel.objects.values_list("slug", flat=True)) == {
        "douyin", "wechat-channels", "kuaishou", "wechat-article", "weibo", "poster",
    }  # fmt: skip


def test_deleting_a_package_removes_its_files(package, django_capture_on_commit_callbacks):
    from pathlib import Path

    paths = [Path(row.file.path) for row in package.files.all()]
    assert paths and all(path.is_file() for path in paths)
    with django_capture_on_commit_callbacks(execute=True):
        package.delete()
    assert not any(path.exists() for path in paths)


def test_a_rebuild_removes_the_files_it_replaced(package, django_capture_on_commit_callbacks):
    from pathlib import Path

    old = [Path(row.file.path) for row in package.files.all()]
    Package.objects.filter(pk=package.pk).update(build_status=Package.BuildStatus.QUEUED)
    with django_capture_on_commit_callbacks(execute=True):
        package_build(package_id=package.pk)
    new = [Path(row.file.path) for row in package.files.all()]
    assert new and all(path.is_file() for path in new)
    assert not any(path.exists() for path in old)
