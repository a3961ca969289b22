import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_interface_is_simplified_chinese_by_default(client, tutorial):
    html = client.get(tutorial.url).content.decode()
    assert '<html lang="zh-CN"' in html
    assert "显示全部步骤" in html
    assert "这一步对您有帮助吗" in html
    assert "长辈模式" in html


def test_language_switch_to_english_and_back(client, tutorial):
    response = client.post(reverse("set_language"), {"language": "en", "next": tutorial.url})
    assert response.status_code == 302
    html = client.get(tutorial.url).content.decode()
    assert '<html lang="en"' in html
    assert "Show all steps" in html and "Did this step help?" in html and "Elder mode" in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "显示全部步骤" in client.get(tutorial.url).content.decode()
