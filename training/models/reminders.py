from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .people import StaffProfile


class Reminder(models.Model):
    """An overdue reminder e-mailed to one learner on one day: at most one a day, whoever asks again."""

    person = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField()
    courses = models.JSONField(default=list)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("overdue reminder")
        verbose_name_plural = _("overdue reminders")
        constraints = [models.UniqueConstraint(fields=["person", "day"], name="training_reminder_one_a_day")]
