"""Who sees which certificate: its holder, and training managers of the holder's departments (or those above)."""

from __future__ import annotations

from django.db.models import QuerySet

from . import selectors
from .models import Certificate, StaffProfile
from .models.certificates import normalise_code


def is_training_manager(*, user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm("training.change_staffprofile"))


def certificates_for_manager(*, user) -> QuerySet[Certificate]:
    if not is_training_manager(user=user):
        return Certificate.objects.none()
    scope = selectors.manager_department_ids(user=user)
    queryset = Certificate.objects.select_related("course", "user")
    if scope is None:
        return queryset
    holders = StaffProfile.objects.filter(departments__in=scope).values("user_id")
    return queryset.filter(user_id__in=holders)


def manager_may_manage_certificate(*, user, certificate: Certificate) -> bool:
    return certificates_for_manager(user=user).filter(pk=certificate.pk).exists()


def certificates_for_learner(*, user) -> QuerySet[Certificate]:
    if not user.is_authenticated:
        return Certificate.objects.none()
    return Certificate.objects.filter(user=user).select_related("course")


def certificate_for_viewer(*, user, certificate_id: int) -> Certificate | None:
    """The certificate if ``user`` holds it or manages its holder; None for anyone else."""
    certificate = certificates_for_learner(user=user).filter(pk=certificate_id).first()
    if certificate is None:
        certificate = certificates_for_manager(user=user).filter(pk=certificate_id).first()
    return certificate


def certificate_by_code(*, code: str) -> Certificate | None:
    code = normalise_code(code)
    if not code:
        return None
    return Certificate.objects.filter(code=code).first()
