from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PATH_SEPARATOR = "/"


class Department(models.Model):
    """One node of the tree: a county, a township or street below it, an office below that."""

    name = models.CharField(_("name"), max_length=80)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Leave empty for a county (a top-level department)."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], condition=Q(parent__isnull=False), name="training_department_unique_child"
            ),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="training_department_unique_root"
            ),
            models.CheckConstraint(condition=~Q(name__contains=PATH_SEPARATOR), name="training_department_no_slash"),
        ]

    def __str__(self) -> str:
        return self.name


class StaffProfile(models.Model):
    """A staff member: the person behind a user account. No resident ID number is ever stored."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile")
    name = models.CharField(_("name"), max_length=60)
    staff_number = models.CharField(_("staff number"), max_length=32, unique=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    departments = models.ManyToManyField(Department, verbose_name=_("departments"), related_name="staff")

    class Meta:
        ordering = ["staff_number"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return f"{self.name} ({self.staff_number})"
