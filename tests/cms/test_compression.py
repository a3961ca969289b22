import gzip

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from tests.factories import make_tutorial

pytestmark = pytest.mark.django_db


def test_pages_go_out_gzipped_to_browsers_that_accept_it(client, tutorial_index):
    page = make_tutorial(tutorial_index)
    response = client.get(page.url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert page.title in html
    assert len(response.content) < len(html) / 2
    plain = client.get(page.url)
    assert not plain.has_header("Content-Encoding") and page.title in plain.content.decode()


def test_files_and_ranges_pass_untouched():
    from django.test import Client

    data = b"\x00\x01" * 4096
    name = storages["public"].save("tests/compress.bin", ContentFile(data))
    try:
        client = Client()
        whole = client.get("/media/" + name, HTTP_ACCEPT_ENCODING="gzip")
        assert not whole.has_header("Content-Encoding")
        part = client.get("/media/" + name, HTTP_ACCEPT_ENCODING="gzip", HTTP_RANGE="bytes=0-99")
        assert part.status_code == 206 and not part.has_header("Content-Encoding")
        assert b"".join(part.streaming_content) == data[:100]
    finally:
        storages["public"].delete(name)
