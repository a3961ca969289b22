"""Login throttling (django-axes) on the Wagtail admin login, and on any form that authenticates with the request."""

import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cms import roles
from tests import factories

pytestmark = pytest.mark.django_db

SECRET = "Wr0ng-but-secret-Passw0rd!"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)


@pytest.fixture
def editor():
    return factories.make_user("editor", roles.EDITORS)


def login(client, username, password, address="10.0.0.1", **extra):
    return client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def test_a_username_is_locked_after_repeated_failures_from_any_address(client, editor):
    codes = [login(client, "editor", SECRET, address=f"10.0.0.{n + 1}").status_code for n in range(3)]
    assert codes == [200, 200, 429]  # the third failure reaches the limit
    # The right password from yet another address is refused during the lockout.
    locked = login(client, "editor", "pw", address="10.0.0.99")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another person is not affected.
    factories.make_user("moderator", roles.MODERATORS)
    assert login(client, "moderator", "pw", address="10.0.0.99").status_code == 302


def test_an_address_is_locked_after_failures_with_any_usernames(client, editor):
    codes = [login(client, name, SECRET, address="10.0.0.7").status_code for name in ("alice", "bob", "carol")]
    assert codes == [200, 200, 429]
    assert login(client, "editor", "pw", address="10.0.0.7").status_code == 429
    assert login(client, "editor", "pw", address="10.0.0.8").status_code == 302


def test_behind_a_trusted_proxy_the_reported_address_is_locked(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for name in ("alice", "bob", "carol"):
        login(client, name, SECRET, address="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert login(client, "editor", "pw", address="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert AccessAttempt.objects.filter(ip_address="198.51.100.7").exists()
    assert not AccessAttempt.objects.filter(ip_address="192.0.2.1").exists()
    # Someone else behind the same proxy logs in.
    assert login(client, "editor", "pw", address="192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 302


def test_the_lockout_page_says_when_to_try_again_in_chinese_and_english(client, editor):
    for _ in range(3):
        login(client, "editor", SECRET)
    before = timezone.localtime(timezone.now() + datetime.timedelta(minutes=15))
    page = login(client, "editor", SECRET)
    after = timezone.localtime(timezone.now() + datetime.timedelta(minutes=15))
    text = page.content.decode()
    assert page.status_code == 429 and page["Content-Type"].startswith("text/html")
    assert "登录失败次数过多" in text and "约 15 分钟后" in text
    assert before.strftime("%H:%M") in text or after.strftime("%H:%M") in text
    assert "<html" in text

    english = login(client, "editor", SECRET, HTTP_ACCEPT_LANGUAGE="en")
    body = english.content.decode()
    assert english.status_code == 429
    assert "Too many failed logins" in body and "in about 15 minutes" in body


def test_failures_are_logged_without_the_password(client, editor, caplog):
    caplog.set_level(logging.DEBUG)
    for _ in range(4):
        login(client, "editor", SECRET)
    messages = [record.getMessage() for record in caplog.records]
    assert any("AXES: Locking out" in message for message in messages)
    assert not [message for message in messages if SECRET in message]
    assert not [record for record in caplog.records if SECRET in repr(record.__dict__)]
    for attempt in AccessAttempt.objects.all():
        assert SECRET not in attempt.post_data and SECRET not in attempt.get_data


def test_any_form_that_authenticates_with_the_request_is_throttled(editor):
    # Staff login forms built later use authenticate(request=...), as Django's AuthenticationForm does.
    def attempt(password):
        request = RequestFactory().post("/training/login/", REMOTE_ADDR="10.0.0.5")
        return authenticate(request=request, username="editor", password=password)

    for _ in range(3):
        assert attempt(SECRET) is None
    assert attempt("pw") is None  # locked out, even with the right password
    assert AccessAttempt.objects.get(username="editor").failures_since_start >= 3


def test_authenticating_without_the_request_is_refused(editor):
    # A form that left the request out would skip the count: it cannot log anyone in.
    from axes.exceptions import AxesBackendRequestParameterRequired

    with pytest.raises(AxesBackendRequestParameterRequired):
        authenticate(username="editor", password="pw")
