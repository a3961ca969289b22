"""Friendly error pages, ids beyond the database's range, and the Content-Security-Policy header."""

import pytest
from bs4 import BeautifulSoup

from cms import roles
from tests import factories

BIG = "99999999999999999999"
JUST_ABOVE = str(2**63)


def search_box(html: str):
    form = BeautifulSoup(html, "html.parser").find("form", attrs={"role": "search"})
    assert form is not None and form["action"] == "/search/" and form["method"] == "get"
    assert form.find("input", attrs={"name": "q"}) is not None


@pytest.mark.django_db
def test_404_is_friendly_in_chinese_and_english(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "找不到这个页面" in html and "· 帮办" in html
    search_box(html)
    english = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Page not found" in english
    search_box(english)


@pytest.mark.urls("tests.cms.error_urls")
def test_500_is_friendly_and_needs_no_database(client):
    # No django_db mark: any database query in the error page fails this test.
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "出了点问题" in html and "请过几分钟再试" in html
    search_box(html)
    english = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Something went wrong" in english and "Please try again in a few minutes" in english


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        f"/videos/{BIG}/subtitles.vtt",
        f"/videos/{JUST_ABOVE}/subtitles.srt",
        f"/videos/1/chapters/{BIG}.vtt",
        f"/videos/{JUST_ABOVE}/chapters/1.vtt",
    ],
)
def test_public_ids_out_of_range_are_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        f"/admin/pages/{JUST_ABOVE}/edit/",
        f"/admin/pages/{BIG}/",
        f"/admin/pages/{JUST_ABOVE}/delete/",
        f"/admin/images/{JUST_ABOVE}/",
        f"/admin/snippets/tutorials/servicecategory/edit/{JUST_ABOVE}/",
        f"/admin/videos/{JUST_ABOVE}/status/",
        f"/admin/videos/{JUST_ABOVE}/subtitles/",
        f"/admin/bulk/wagtailcore/page/delete/?id={JUST_ABOVE}",
        f"/admin/bulk/wagtailcore/page/delete/?id={BIG}",
    ],
)
def test_admin_ids_out_of_range_are_404(client, url):
    client.force_login(factories.make_user("boss", roles.EDITORS, superuser=True))
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_public_pages_allow_no_inline_script_or_style(client, tutorial):
    policy = client.get(tutorial.url)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'self'"
    assert "unsafe" not in policy


@pytest.mark.django_db
def test_the_admin_gets_its_own_policy(client):
    client.force_login(factories.make_user("boss", superuser=True))
    policy = client.get("/admin/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
