"""Overdue reminders reach a real SMTP server started by the test: one message per learner listing their overdue
courses, in their language, only people in the manager's departments, at most once a day, no personal data logged."""

import datetime
import logging

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from tests.cms.test_admin_email import Inbox, body, free_port
from tests.training import builders
from training import reminders
from training.course_status import course_status_rebuild
from training.models import Course, DeadlineOverride, LessonProgress, Reminder

MOBILE = "13912345678"


@pytest.fixture
def smtp_inbox(settings):
    from aiosmtpd.controller import Controller

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


def person(name, department, address):
    profile = builders.staff(name, department)
    profile.mobile = MOBILE
    profile.save()
    profile.user.email = address
    profile.user.save()
    return profile


@pytest.fixture
def overdue(departments):
    d = departments
    today = timezone.localdate()
    past, future = today - datetime.timedelta(days=2), today + datetime.timedelta(days=20)
    people = {
        "li": person("李明", d["office"], "li@example.gov.cn"),
        "zhang": person("张强", d["west"], "zhang@example.gov.cn"),
        "wang": person("王芳", d["east"], "wang@example.gov.cn"),
        "done": person("赵丽", d["office"], "zhao@example.gov.cn"),
        "nomail": person("周杰", d["west"], ""),
        "outside": person("陈红", d["other"], "chen@example.gov.cn"),
    }
    county = builders.course("全县课程", departments=[d["county"]], deadline=past)
    office = builders.course("中心课程", departments=[d["office"]], deadline=past)
    builders.course("下月课程", departments=[d["county"]], deadline=future)
    builders.course("河西课程", departments=[d["other"]], deadline=past)
    for course in (county, office):
        for lesson in course.lessons.all():
            LessonProgress.objects.create(
                user=people["done"].user, lesson=lesson, status=LessonProgress.Status.COMPLETE
            )
    DeadlineOverride.objects.create(course=county, person=people["wang"], deadline=future)
    profile = UserProfile.get_for_user(people["zhang"].user)
    profile.preferred_language = "en"
    profile.save()
    boss = builders.manager("刘主任", d["east"])
    course_status_rebuild()  # the progress and the personal deadline above were written with the ORM
    return {"people": people, "boss": boss, "d": d}


def press_send(boss, captured, **data):
    client = Client()
    client.force_login(boss.user)
    with captured(execute=True):
        response = client.post(reverse("training_send_reminders"), data)
    assert response.status_code == 302
    return response


def test_reminders_reach_the_overdue_learners_of_the_managers_departments(
    overdue, smtp_inbox, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.DEBUG)
    county_boss = builders.manager("总主任", overdue["d"]["county"])
    press_send(county_boss, django_capture_on_commit_callbacks)
    recipients = sorted(address for message in smtp_inbox.messages for address in message["X-Envelope-To"].split(", "))
    assert recipients == ["li@example.gov.cn", "zhang@example.gov.cn"]
    [li] = smtp_inbox.to("li@example.gov.cn")
    assert "2" in li["Subject"] and "培训" in li["Subject"]
    text = body(li)
    assert "李明" in text and "全县课程" in text and "中心课程" in text and "下月课程" not in text
    assert "/learn/" in text
    [zhang] = smtp_inbox.to("zhang@example.gov.cn")
    assert zhang["Subject"] == "Reminder: 1 training course is overdue"
    assert "全县课程" in body(zhang) and "中心课程" not in body(zhang)
    assert set(Reminder.objects.values_list("person__name", flat=True)) == {"李明", "张强"}
    # what the application logged (the test's own SMTP server, "mail.log", logs what it receives)
    logged = "\n".join(record.getMessage() for record in caplog.records if not record.name.startswith("mail."))
    for secret in (MOBILE, "李明", "张强", "li@example.gov.cn"):
        assert secret not in logged
    assert "2 sent" in logged


def test_a_second_click_the_same_day_sends_nothing_more(overdue, smtp_inbox, django_capture_on_commit_callbacks):
    county_boss = builders.manager("总主任", overdue["d"]["county"])
    press_send(county_boss, django_capture_on_commit_callbacks)
    assert len(smtp_inbox.messages) == 2
    press_send(county_boss, django_capture_on_commit_callbacks)
    assert len(smtp_inbox.messages) == 2
    assert Reminder.objects.count() == 2
    # the next day is another day
    sent = reminders.reminders_send(
        manager_id=county_boss.user.pk, today=timezone.localdate() + datetime.timedelta(days=1)
    )
    assert sent == 2 and len(smtp_inbox.messages) == 4


def test_a_manager_reminds_only_their_own_people(overdue, smtp_inbox, django_capture_on_commit_callbacks):
    press_send(overdue["boss"], django_capture_on_commit_callbacks)
    assert [message["X-Envelope-To"] for message in smtp_inbox.messages] == ["li@example.gov.cn"]
    outsider = builders.manager("何主任", overdue["d"]["other"])
    client = Client()
    client.force_login(outsider.user)
    response = client.post(reverse("training_send_reminders"), {"department": overdue["d"]["east"].pk})
    assert response.status_code in (302, 403)
    assert len(smtp_inbox.messages) == 1


def test_a_course_filter_narrows_the_reminders(overdue, smtp_inbox, django_capture_on_commit_callbacks):
    county_boss = builders.manager("总主任", overdue["d"]["county"])
    course = Course.objects.get(title="中心课程")
    press_send(county_boss, django_capture_on_commit_callbacks, course=course.pk)
    [message] = smtp_inbox.messages
    assert message["X-Envelope-To"] == "li@example.gov.cn"
    assert "全县课程" not in body(message)


def test_a_failed_delivery_records_nothing_so_a_retry_sends(overdue, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    county_boss = builders.manager("总主任", overdue["d"]["county"])
    with pytest.raises(OSError):
        reminders.reminders_send(manager_id=county_boss.user.pk)
    assert not Reminder.objects.exists()


def test_the_confirmation_page_counts_people(overdue):
    client = Client()
    client.force_login(overdue["boss"].user)
    html = client.get(reverse("training_send_reminders")).content.decode()
    # 李明, and the manager himself (he has no e-mail address)
    assert "2 人有逾期未完成的培训" in html
    learner = Client()
    learner.force_login(overdue["people"]["li"].user)
    assert learner.get(reverse("training_send_reminders")).status_code in (302, 403)


def test_the_overdue_list_shows_only_the_managers_people_and_exports(overdue):
    county_boss = builders.manager("总主任", overdue["d"]["county"])
    client = Client()
    client.force_login(county_boss.user)
    html = client.get(reverse("training_overdue")).content.decode()
    assert "李明" in html and "张强" in html and "周杰" in html
    assert "陈红" not in html and "赵丽" not in html and "王芳" not in html  # outside, done, own later deadline
    assert MOBILE not in html
    assert reverse("training_send_reminders") in html
    response = client.get(reverse("training_overdue"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "李明" in content and "中心课程" in content and "陈红" not in content
