"""Telling people that a package went out of date: an e-mail to its author and the Publicity officers; the
dashboard panel (wagtail_hooks) shows the same list to whoever may rebuild."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.users.models import UserProfile

from cms import roles

logger = logging.getLogger(__name__)


def out_of_date_recipients(package) -> list[str]:
    return sorted(address for addresses in _recipients_by_language(package).values() for address in addresses)


def _recipients_by_language(package) -> dict[str, list[str]]:
    """The package's author and the Publicity officers, grouped by the language each reads the admin in."""
    wanted = Q(groups__name=roles.PUBLICITY_OFFICERS)
    if package.created_by_id is not None:
        wanted |= Q(pk=package.created_by_id)
    chosen = get_user_model().objects.filter(wanted, is_active=True).exclude(email="").distinct()
    known = {code for code, _name in settings.LANGUAGES}
    languages = dict(UserProfile.objects.filter(user__in=chosen).values_list("user_id", "preferred_language"))
    grouped: dict[str, set[str]] = {}
    for user_id, email in chosen.values_list("pk", "email"):
        language = languages.get(user_id) if languages.get(user_id) in known else settings.LANGUAGE_CODE
        grouped.setdefault(language, set()).add(email)
    # An address shared by two accounts gets one message, in the first language found.
    seen: set[str] = set()
    result: dict[str, list[str]] = {}
    for language in sorted(grouped):
        addresses = sorted(grouped[language] - seen)
        seen.update(addresses)
        if addresses:
            result[language] = addresses
    return result


def out_of_date_notify(*, packages: list) -> int:
    """One e-mail per package and language to its author and the Publicity officers, each in the language they
    read the admin in; returns how many were sent."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    messages = []
    for package in packages:
        link = base + reverse("wagtailsnippets_publishing_package:edit", args=[package.pk])
        for language, recipients in _recipients_by_language(package).items():
            with translation.override(language):
                subject = _("Channel package out of date: %(package)s") % {"package": package}
                body = _("%(reason)s\n\nRebuild it before it is published again:\n%(link)s\n") % {
                    "reason": package.out_of_date_message(),
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
