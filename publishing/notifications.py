"""Telling people that a package went out of date: an e-mail to its author and the Publicity officers; the
dashboard panel (wagtail_hooks) shows the same list to whoever may rebuild."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from cms import roles

logger = logging.getLogger(__name__)


def out_of_date_recipients(package) -> list[str]:
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    officers = users.filter(groups__name=roles.PUBLICITY_OFFICERS)
    addresses = set(officers.values_list("email", flat=True))
    if package.created_by is not None and package.created_by.is_active and package.created_by.email:
        addresses.add(package.created_by.email)
    return sorted(addresses)


def out_of_date_notify(*, packages: list) -> int:
    """One e-mail per package to its author and the Publicity officers; returns how many were sent."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    messages = []
    for package in packages:
        recipients = out_of_date_recipients(package)
        if not recipients:
            continue
        link = base + reverse("wagtailsnippets_publishing_package:edit", args=[package.pk])
        subject = _("Channel package out of date: %(package)s") % {"package": package}
        body = _("%(reason)s\n\nRebuild it before it is published again:\n%(link)s\n") % {
            "reason": package.out_of_date_reason,
            "link": link,
        }
        messages.append((subject, body, None, recipients))
    if not messages:
        return 0
    try:
        return send_mass_mail(messages, fail_silently=False)
    except (OSError, SMTPException) as error:
        logger.warning("Out-of-date notices could not be sent: %s", error)
        return 0
