"""The admin sends nothing about staff to third parties."""

import pytest
from django.urls import reverse

from cms import roles
from tests import factories

pytestmark = pytest.mark.django_db


def test_no_avatar_is_fetched_by_the_staff_members_e_mail_hash(site_pages, client):
    editor = factories.make_user("ed", roles.EDITORS)
    editor.email = "wang.fang@example.gov.cn"
    editor.save()
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert b"gravatar" not in response.content.lower()
