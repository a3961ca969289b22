"""Static files as production serves them: hashed names, gzip and brotli copies, cached for a year."""

import gzip

import brotli
import pytest
from django.conf import settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

YEAR = "max-age=31536000"
COMPRESSED = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


@pytest.fixture
def collected(tmp_path):
    # Only this project's own files: collecting Wagtail's admin as well takes a minute and proves nothing more.
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES={**settings.STORAGES, "staticfiles": COMPRESSED},
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STATICFILES_DIRS=[settings.BASE_DIR / "cms" / "static"],
        WHITENOISE_AUTOREFRESH=False,
        WHITENOISE_USE_FINDERS=False,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path


def test_hashed_static_file_is_compressed_and_immutable(collected):
    url = static("cms/css/site.css")
    assert url != "/static/cms/css/site.css" and url.endswith(".css")  # a hash in the name
    client = Client()  # a new handler: WhiteNoise reads the collected files now

    plain = client.get(url)
    assert plain.status_code == 200
    assert plain["Cache-Control"] == f"{YEAR}, public, immutable"
    source = (settings.BASE_DIR / "cms" / "static" / "cms" / "css" / "site.css").read_bytes()
    assert b"".join(plain.streaming_content) == source

    gz = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert gz["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(gz.streaming_content)) == source
    br = client.get(url, HTTP_ACCEPT_ENCODING="br, gzip")
    assert br["Content-Encoding"] == "br"
    assert brotli.decompress(b"".join(br.streaming_content)) == source
    assert int(br["Content-Length"]) < len(source) / 3

    # The unhashed name still answers, but only for a short while: it changes with every release.
    unhashed = client.get("/static/cms/css/site.css")
    assert unhashed.status_code == 200 and "immutable" not in unhashed["Cache-Control"]
