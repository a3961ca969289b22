import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .courses import Course

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read off paper and typed in is not mistyped.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 12  # 25**12 ≈ 6e16 codes: not guessable, still short enough to type from a printed page
CODE_GROUP = 4


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """K7QH3MXR9P2D → K7QH-3MXR-9P2D, as printed."""
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def normalise_code(text: str) -> str:
    """What someone typed, back to the stored form: spaces and dashes dropped, upper case."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


class Certificate(models.Model):
    """Proof that one learner completed one course. Its files are in the private storage, named after the code."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_certificates")
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(_("verification code"), max_length=CODE_LENGTH, unique=True, default=new_code)
    full_name = models.CharField(_("name"), max_length=60)
    course_title = models.CharField(_("course title"), max_length=120)
    office = models.CharField(_("issuing office"), max_length=80)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    png = models.FileField(_("PNG"), upload_to="certificates/", blank=True)
    pdf = models.FileField(_("PDF"), upload_to="certificates/", blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="training_certificate_one_per_course")]

    def __str__(self) -> str:
        return f"{self.course_title} · {format_code(self.code)}"

    @property
    def printed_code(self) -> str:
        return format_code(self.code)

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
