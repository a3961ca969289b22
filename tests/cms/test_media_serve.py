import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

pytestmark = pytest.mark.django_db

DATA = bytes(range(256)) * 4  # 1024 bytes


@pytest.fixture
def stored():
    public = storages["public"]
    name = public.save("tests/range.bin", ContentFile(DATA))
    yield "/media/" + name
    public.delete(name)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_whole_file(client, stored):
    response = client.get(stored)
    assert response.status_code == 200 and body(response) == DATA
    assert response["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize(
    "header, start, end",
    [("bytes=0-99", 0, 99), ("bytes=1000-", 1000, 1023), ("bytes=-24", 1000, 1023), ("bytes=1000-5000", 1000, 1023)],
)
def test_ranges(client, stored, header, start, end):
    response = client.get(stored, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/1024"
    assert body(response) == DATA[start : end + 1]


def test_unsatisfiable_range_and_escapes(client, stored):
    assert client.get(stored, HTTP_RANGE="bytes=5000-").status_code == 416
    assert client.get("/media/../cms/settings.py").status_code == 404
    assert client.get("/media/nothing-here.mp4").status_code == 404


def test_public_media_is_cacheable_and_revalidated(client, stored):
    response = client.get(stored, HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206
    assert "public" in response["Cache-Control"] and "max-age=604800" in response["Cache-Control"]
    last_modified = response["Last-Modified"]
    again = client.get(stored, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert again.status_code == 304
    assert client.get(stored, HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code == 200


def test_media_opened_on_its_own_runs_no_script(client, stored):
    policy = client.get(stored)["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
