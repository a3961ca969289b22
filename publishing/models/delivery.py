from django.db import models
from django.utils.translation import gettext_lazy as _

from .channels import Channel
from .packages import Publication


class Delivery(models.Model):
    """Sending one publication to a channel's webhook, tried until delivered or given up."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="deliveries")
    url = models.URLField(_("URL"), max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_try_at = models.DateTimeField(_("next try at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.publication_id} → {self.url}"


class DeliveryTry(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    number = models.PositiveSmallIntegerField(_("try"))
    at = models.DateTimeField(_("at"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        ordering = ["delivery", "number"]
        verbose_name = _("delivery try")
        verbose_name_plural = _("delivery tries")

    def __str__(self) -> str:
        return f"{self.delivery_id}#{self.number}"


class ChannelVisit(models.Model):
    """Visits to a tutorial that came through a channel's tagged links, counted per day; nothing about the visitor."""

    tutorial = models.ForeignKey("tutorials.TutorialPage", on_delete=models.CASCADE, related_name="channel_visits")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="visits")
    day = models.DateField(_("day"))
    visits = models.PositiveIntegerField(_("visits"), default=0)
    helpful = models.PositiveIntegerField(_("found it helpful"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("channel visits")
        verbose_name_plural = _("channel visits")
        constraints = [
            models.UniqueConstraint(fields=["tutorial", "channel", "day"], name="publishing_channelvisit_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.tutorial_id}/{self.channel_id}/{self.day}"
