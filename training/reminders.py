"""Overdue reminders: one e-mail per learner listing their overdue courses, at most one a day, in their language."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from .dashboards import OverdueRow, overdue_assignments
from .models import Reminder, StaffProfile

logger = logging.getLogger(__name__)


def reminders_enqueue(*, manager, department_id: int | None = None, course_id: int | None = None) -> None:
    from .tasks import send_overdue_reminders

    transaction.on_commit(
        lambda: send_overdue_reminders.enqueue(manager.pk, department_id=department_id, course_id=course_id)
    )


def _languages(user_ids: set[int]) -> dict[int, str]:
    known = {code for code, _ in settings.LANGUAGES}
    rows = UserProfile.objects.filter(user_id__in=user_ids).values_list("user_id", "preferred_language")
    return {user_id: language for user_id, language in rows if language in known}


def _message(*, profile: StaffProfile, rows: list[OverdueRow], language: str) -> EmailMessage:
    with translation.override(language):
        context = {
            "name": profile.name,
            "courses": rows,
            "url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("training:my_learning"),
        }
        subject = " ".join(render_to_string("training/email/overdue_reminder_subject.txt", context).split())
        body = render_to_string("training/email/overdue_reminder.txt", context)
    return EmailMessage(subject=subject, body=body, to=[profile.user.email])


def reminders_send(
    *,
    manager_id: int,
    department_id: int | None = None,
    course_id: int | None = None,
    today: datetime.date | None = None,
) -> int:
    """E-mail every overdue learner the manager may see (re-read now, not when the button was pressed).

    Each learner is recorded before the message goes out, in the same transaction: a second run the same day finds
    the record and sends nothing, and a failed delivery leaves no record, so a retry sends it.
    """
    today = today or timezone.localdate()
    manager = get_user_model().objects.get(pk=manager_id)
    by_person: dict[int, list[OverdueRow]] = defaultdict(list)
    for row in overdue_assignments(user=manager, department_id=department_id, course_id=course_id, today=today):
        by_person[row.person_id].append(row)
    profiles = StaffProfile.objects.select_related("user").in_bulk(list(by_person))
    languages = _languages({profile.user_id for profile in profiles.values()})
    sent = already = no_address = 0
    for person_id, rows in by_person.items():
        profile = profiles[person_id]
        if not profile.user.email:
            no_address += 1
            continue
        with transaction.atomic():
            _reminder, created = Reminder.objects.get_or_create(
                person=profile,
                day=today,
                defaults={"courses": [row.course_id for row in rows], "sent_by": manager},
            )
            if not created:
                already += 1
                continue
            message = _message(
                profile=profile, rows=rows, language=languages.get(profile.user_id, settings.LANGUAGE_CODE)
            )
            message.send()
        sent += 1
    logger.info(
        "Overdue reminders by user %s: %s sent, %s already reminded today, %s without an e-mail address",
        manager_id,
        sent,
        already,
        no_address,
    )
    return sent
