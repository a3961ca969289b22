from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class VideoAsset(models.Model):
    """A video a tutorial step can carry; its processing pipeline fills in the rest."""

    title = models.CharField(_("title"), max_length=120)
    file = models.FileField(
        _("file"),
        upload_to="videos/original/%Y/%m/",
        validators=[FileExtensionValidator(["mp4", "mov", "webm", "m4v"])],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
