"""Workflow e-mails reach a real SMTP server, in the recipient's language, with the moderator's comment."""

import email
import email.policy
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from cms import roles
from tests import factories
from tutorials.models import TutorialPage

ROOT = Path(__file__).resolve().parents[2]


class Inbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [message for message in self.messages if address in message["X-Envelope-To"]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def review(tutorial_index):
    author = factories.make_user("author", roles.EDITORS)
    author.email = "author@example.gov.cn"
    author.save()
    moderator = factories.make_user("moderator", roles.MODERATORS)
    moderator.email, moderator.first_name = "moderator@example.gov.cn", "陈静"
    moderator.save()
    boss = factories.make_user("boss", superuser=True)
    boss.email = "boss@example.gov.cn"
    boss.save()
    page = factories.make_tutorial(tutorial_index, publish=False, owner=author)
    return page, author, moderator


@pytest.mark.django_db
def test_submission_tells_the_moderators_in_chinese(smtp_inbox, review):
    page, author, _moderator = review
    page.get_workflow().start(page, author)
    [message] = smtp_inbox.to("moderator@example.gov.cn")
    assert "查询社保缴费记录" in message["Subject"]
    assert "由第二人批准" in message["Subject"]
    assert "/admin/pages/" in body(message)
    # Superusers are not reviewers: no copy for them, nothing for the author who submitted.
    assert smtp_inbox.to("boss@example.gov.cn") == []
    assert smtp_inbox.to("author@example.gov.cn") == []


@pytest.mark.django_db
def test_a_request_for_changes_reaches_the_submitter_with_the_comment(smtp_inbox, review):
    page, author, moderator = review
    page.get_workflow().start(page, author)
    task_state = TutorialPage.objects.get(pk=page.pk).current_workflow_task_state
    task_state.task.specific.on_action(task_state, moderator, "reject", comment="第二步的截图请换成新版界面。")
    [message] = smtp_inbox.to("author@example.gov.cn")
    text = body(message)
    assert "查询社保缴费记录" in message["Subject"]
    assert "陈静" in text
    assert "第二步的截图请换成新版界面。" in text
    assert "您好" in text or "你好" in text


@pytest.mark.django_db
def test_an_approval_reaches_the_submitter_naming_the_moderator_and_comment(smtp_inbox, review):
    page, author, moderator = review
    page.get_workflow().start(page, author)
    task_state = TutorialPage.objects.get(pk=page.pk).current_workflow_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve", comment="写得很清楚。")
    [message] = smtp_inbox.to("author@example.gov.cn")
    text = body(message)
    assert "查询社保缴费记录" in message["Subject"]
    assert text.count("批准人：陈静") == 1
    assert "写得很清楚。" in text


def settings_under(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL") and k != "DJANGO_SETTINGS_MODULE"}
    clean.update(env)
    code = textwrap.dedent(
        """
        import cms.settings as s
        print(s.EMAIL_BACKEND.rsplit(".", 2)[-2], s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER,
              s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL)
        """
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_console_backend_by_default():
    result = settings_under({})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "console"


def test_email_url_is_read():
    result = settings_under({"EMAIL_URL": "submission://mailer:s%40cret@smtp.example.gov.cn:587"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["smtp", "smtp.example.gov.cn", "587", "mailer", "s@cret", "True", "False"]


def test_the_usual_email_variables_are_read():
    env = {"EMAIL_HOST": "mail.example.gov.cn", "EMAIL_PORT": "465", "EMAIL_USE_SSL": "1", "EMAIL_HOST_USER": "u"}
    result = settings_under(env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:3] == ["smtp", "mail.example.gov.cn", "465"]
    assert result.stdout.split()[-1] == "True"


def test_a_bad_email_url_is_named():
    result = settings_under({"EMAIL_URL": "smpt://mail.example.gov.cn"})
    assert result.returncode != 0
    assert "EMAIL_URL must start with one of" in result.stderr and "'smpt'" in result.stderr
