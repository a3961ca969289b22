from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from cms.prefs import ELDER_SIZES, MODE_COOKIE, SIZE_COOKIE

pytestmark = pytest.mark.django_db


def html_tag(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").html


def test_normal_mode_by_default(client, tutorial):
    root = html_tag(client, tutorial.url)
    assert "elder" not in root.get("class", [])
    assert root.find("button", attrs={"name": "mode", "value": "elder"}) is not None


def test_elder_mode_is_switched_on_and_remembered(client, tutorial):
    response = client.post(reverse("display_preferences"), {"mode": "elder", "next": tutorial.url})
    assert response.status_code == 302 and response["Location"] == tutorial.url
    cookie = response.cookies[MODE_COOKIE]
    assert cookie.value == "elder" and int(cookie["max-age"]) >= 30 * 24 * 3600
    root = html_tag(client, tutorial.url)
    assert "elder" in root["class"]
    assert "elder--size-22" in root["class"] and not root.has_attr("style")
    # ...on every page, home included.
    assert "elder" in html_tag(client, "/")["class"]


def test_text_size_steps_between_18_and_30(client, tutorial):
    url = reverse("display_preferences")
    client.post(url, {"mode": "elder"})
    sizes = []
    for _ in range(4):
        client.post(url, {"size": "up"})
        sizes.append(client.cookies[SIZE_COOKIE].value)
    assert sizes == ["26", "30", "30", "30"]
    root = html_tag(client, tutorial.url)
    assert "elder--size-30" in root["class"]
    assert root.find("button", attrs={"value": "up"}).has_attr("disabled")
    for _ in range(5):
        client.post(url, {"size": "down"})
    assert client.cookies[SIZE_COOKIE].value == "18"


def test_switching_back_to_standard_mode(client, tutorial):
    client.post(reverse("display_preferences"), {"mode": "elder"})
    client.post(reverse("display_preferences"), {"mode": "normal"})
    assert "elder" not in html_tag(client, tutorial.url).get("class", [])


def test_bad_preferences_and_foreign_redirects_are_refused(client):
    url = reverse("display_preferences")
    assert client.post(url, {"mode": "hacker"}).status_code == 400
    assert client.post(url, {"size": "huge"}).status_code == 400
    assert client.get(url).status_code == 405
    response = client.post(url, {"mode": "elder", "next": "https://evil.example/steal"})
    assert response["Location"] == "/"


def test_tampered_size_cookie_falls_back(client, tutorial):
    client.cookies[MODE_COOKIE] = "elder"
    client.cookies[SIZE_COOKIE] = "9999"
    assert "elder--size-22" in html_tag(client, tutorial.url)["class"]


def test_every_text_size_has_its_class_in_the_stylesheet():
    # Sizes are classes, not style attributes, which the Content-Security-Policy forbids.
    css = (Path(__file__).resolve().parents[2] / "cms" / "static" / "cms" / "css" / "site.css").read_text()
    for size in ELDER_SIZES:
        assert f".elder.elder--size-{size} {{ --base-size: {size}px; }}" in css
