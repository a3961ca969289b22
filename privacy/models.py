from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    TEXT = "text", _("Text")
    IMAGE = "image", _("Picture")
    VIDEO = "video", _("Video frames")


class Finding(models.Model):
    """A personal number seen in one place of one object. Only its kind, a masked form and a digest keyed with the
    site's secret are kept, never the number."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MASKED = "masked", _("Masked")
        OVERRIDDEN = "overridden", _("Overridden")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    # "title", "summary", "step_text", "alt_text", "file_name", "subtitles", "picture", "frames" ...
    field = models.CharField(_("field"), max_length=40)
    step_id = models.CharField(_("step"), max_length=64, blank=True)
    box = models.JSONField(_("box"), null=True, blank=True)  # [left, top, right, bottom] in the file's pixels
    start = models.FloatField(_("from second"), null=True, blank=True)
    end = models.FloatField(_("until second"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16)
    masked = models.CharField(_("number (masked)"), max_length=32)
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("personal-information finding")
        verbose_name_plural = _("personal-information findings")
        indexes = [models.Index(fields=["content_type", "object_id", "status"])]
        ordering = ["content_type", "object_id", "source", "step_id", "start", "pk"]
        permissions = [("override_finding", "Can let a personal-information finding be published")]

    def __str__(self) -> str:
        return f"{self.kind} {self.masked} ({self.field})"

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.source, self.field, self.step_id, self.fingerprint)


class Scan(models.Model):
    """The last scan of one object by one source, with its progress (video OCR takes a while)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Scanning")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    progress = models.FloatField(default=0.0)
    error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("personal-information scan")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "source"], name="privacy_scan_one_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.source} scan of {self.content_type_id}/{self.object_id}: {self.status}"

    @property
    def percent(self) -> int:
        return round(100 * self.progress)


class ImageMask(models.Model):
    """A box painted over a picture. The picture's file is replaced by the masked one, so every step and every
    rendition uses it; the file as uploaded is kept here, in the private storage."""

    class Method(models.TextChoices):
        BLUR = "blur", _("Blur")
        BOX = "box", _("Solid box")

    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="privacy_masks")
    box = models.JSONField()
    method = models.CharField(max_length=8, choices=Method.choices, default=Method.BOX)
    original = models.FileField(upload_to="privacy/unmasked/%Y/%m/", max_length=255)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("picture mask")

    def __str__(self) -> str:
        return f"mask {self.box} on image {self.image_id}"


class VideoMask(models.Model):
    """A box painted over a video for a span of seconds. The video's original becomes the masked file (its phone
    version and poster are made again from it); the file as uploaded is kept here, in the private storage."""

    asset = models.ForeignKey("bangban_media.VideoAsset", on_delete=models.CASCADE, related_name="privacy_masks")
    box = models.JSONField()  # in the video's own pixels
    start = models.FloatField()
    end = models.FloatField()
    method = models.CharField(max_length=8, choices=ImageMask.Method.choices, default=ImageMask.Method.BOX)
    original = models.FileField(upload_to="privacy/unmasked/%Y/%m/", max_length=255)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("video mask")

    def __str__(self) -> str:
        return f"mask {self.box} on video {self.asset_id} from {self.start}s to {self.end}s"
