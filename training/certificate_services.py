"""Certificates: issued once a learner completes a course, drawn into private files, revoked by a manager."""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.private_files import delete_unheld

from . import certificates as drawing
from . import selectors
from .models import Certificate, Course

REVOKE_ACTION = "training.certificate.revoke"
MAX_REASON_CHARS = 200


class CertificateError(ValueError):
    """A request about a certificate the server cannot carry out; the message says why."""


def verify_url(*, code: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("training:verify", kwargs={"code": code})


def issuing_office(*, user, course: Course) -> str:
    """The learner's first department by name; failing that, the first of the course's audience departments."""
    profile = selectors.learner_profile(user=user)
    if profile is not None:
        department = profile.departments.order_by("name").first()
        if department is not None:
            return department.name
    department = course.audience_departments.order_by("name").first()
    return department.name if department else ""


def certificate_issue_if_complete(*, user, course: Course) -> Certificate | None:
    """The learner's certificate for ``course`` once every required item is complete; one per learner and course,
    however often this is asked. Its files are drawn by a task after the commit."""
    existing = Certificate.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing
    profile = selectors.learner_profile(user=user)
    if profile is None or not selectors.learner_course_progress(user=user, course=course).complete:
        return None
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                user=user,
                course=course,
                full_name=profile.name,
                course_title=course.title,
                office=issuing_office(user=user, course=course),
            )
    except IntegrityError:
        return Certificate.objects.get(user=user, course=course)
    from .tasks import render_certificate

    certificate_id = certificate.pk
    transaction.on_commit(lambda: render_certificate.enqueue(certificate_id))
    return certificate


def _text(certificate: Certificate) -> drawing.CertificateText:
    issued = timezone.localtime(certificate.issued_at).date()
    return drawing.CertificateText(
        full_name=certificate.full_name,
        course=certificate.course_title,
        date=_("%(year)d-%(month)02d-%(day)02d") % {"year": issued.year, "month": issued.month, "day": issued.day},
        office=certificate.office,
        code=certificate.printed_code,
        verify_url=verify_url(code=certificate.code),
        heading=_("Certificate of completion"),
        brand=_("Bangban · staff digital skills training"),
        body=_("has completed every part of the course below and passed its assessment."),
        code_label=_("Verification code"),
        scan_hint=_("Scan to check this certificate"),
    )


def certificate_files_ensure(*, certificate_id: int) -> Certificate | None:
    """Draw the PNG and the PDF into the private storage if they are not there yet. Idempotent."""
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().filter(pk=certificate_id).first()
        if certificate is None:
            return None
        if certificate.png and certificate.pdf:
            return certificate
        text = _text(certificate)
        certificate.png.save(f"{certificate.code}.png", ContentFile(drawing.render_png(text)), save=False)
        certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(drawing.render_pdf(text)), save=False)
        certificate.save(update_fields=["png", "pdf"])
    return certificate


def certificate_files_delete(*, names: list[str]) -> int:
    """Remove the stored files of deleted certificates; a name a certificate row still holds is kept.

    Returns how many files went. Safe to run again: a file already gone is skipped.
    """
    storage = Certificate._meta.get_field("png").storage
    held = {
        name
        for row in Certificate.objects.filter(Q(png__in=names) | Q(pdf__in=names)).values_list("png", "pdf")
        for name in row
    }
    return delete_unheld(storage, names, held=held)


def certificate_revoke(*, certificate: Certificate, user, reason: str) -> Certificate:
    """Revoke ``certificate``; only a manager of one of its holder's departments may. Logged in the site history."""
    from .certificate_selectors import manager_may_manage_certificate

    reason = " ".join(reason.split())
    if not reason:
        raise CertificateError(_("Say why the certificate is revoked."))
    if len(reason) > MAX_REASON_CHARS:
        raise CertificateError(_("Keep the reason under %(count)d characters.") % {"count": MAX_REASON_CHARS})
    if not manager_may_manage_certificate(user=user, certificate=certificate):
        raise CertificateError(_("You may not revoke this certificate."))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked:
            raise CertificateError(_("This certificate has already been revoked."))
        locked.revoked_at = timezone.now()
        locked.revoked_by = user
        locked.revoke_reason = reason
        locked.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        log(instance=locked, action=REVOKE_ACTION, user=user, data={"reason": reason})
    return locked


def certificates_after_quiz(*, user, quiz_id: int) -> list[Certificate]:
    """After a passed quiz: the certificates of the learner's courses that use it and are now complete."""
    from django.db.models import Q

    courses = selectors.learner_courses(user=user).filter(Q(lessons__quiz_id=quiz_id) | Q(final_quiz_id=quiz_id))
    issued = []
    for course in courses.distinct():
        certificate = certificate_issue_if_complete(user=user, course=course)
        if certificate is not None:
            issued.append(certificate)
    return issued
