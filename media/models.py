from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from cms.terms import split_terms

VIDEO_EXTENSIONS = ["mp4", "mov", "m4v", "webm", "mkv", "avi"]


class VideoAsset(index.Indexed, models.Model):
    """A video a tutorial step carries, and where its processing has got to."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be processed")
        PROCESSING = "processing", _("Processing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class Stage(models.TextChoices):
        PROBE = "probe", _("Checking the file")
        TRANSCODE = "transcode", _("Making the phone version")
        POSTER = "poster", _("Taking the poster frame")
        TRANSCRIBE = "transcribe", _("Recognising speech")
        SUBTITLES = "subtitles", _("Writing subtitles")

    class Subtitles(models.TextChoices):
        NONE = "none", _("No subtitles (no speech)")
        AUTO = "auto", _("Generated automatically, not yet approved")
        APPROVED = "approved", _("Approved by an editor")

    class Language(models.TextChoices):
        ZH = "zh", _("Chinese (Mandarin)")
        EN = "en", _("English")

    title = models.CharField(_("title"), max_length=120)
    file = models.FileField(
        _("video file"), upload_to="videos/original/%Y/%m/", validators=[FileExtensionValidator(VIDEO_EXTENSIONS)]
    )
    language = models.CharField(_("spoken language"), max_length=8, choices=Language.choices, default=Language.ZH)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, blank=True)
    progress = models.FloatField(_("progress"), default=0.0)
    failure_reason = models.TextField(_("reason it failed"), blank=True)
    stage_log = models.JSONField(default=dict, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    has_audio = models.BooleanField(null=True, blank=True)
    rendition = models.FileField(upload_to="videos/phone/", blank=True)
    poster = models.FileField(upload_to="videos/posters/", blank=True)

    subtitles = models.CharField(
        _("subtitles"), max_length=10, choices=Subtitles.choices, default=Subtitles.NONE, editable=False
    )
    subtitles_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    subtitles_approved_at = models.DateTimeField(null=True, blank=True, editable=False)

    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def publishable(self) -> bool:
        """A page may go live with this video: processed, and its subtitles approved (or there is no speech)."""
        return self.is_ready and self.subtitles in (self.Subtitles.APPROVED, self.Subtitles.NONE)

    @property
    def progress_percent(self) -> int:
        return round(100 * self.progress)


class SubtitleCue(models.Model):
    """One caption on screen: at most two lines, with its start and end in seconds."""

    asset = models.ForeignKey(VideoAsset, on_delete=models.CASCADE, related_name="cues")
    position = models.PositiveIntegerField()
    start = models.FloatField()
    end = models.FloatField()
    text = models.CharField(max_length=200)

    class Meta:
        ordering = ["asset", "position"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "position"], name="unique_cue_position"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="cue_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.start:.2f}-{self.end:.2f} {self.text}"


class GlossaryTerm(models.Model):
    """A local term (service or place name) speech recognition should know, with what it is misheard as."""

    term = models.CharField(_("term"), max_length=40, unique=True)
    misheard_as = models.CharField(
        _("misheard as"),
        max_length=400,
        blank=True,
        help_text=_("Comma-separated wrong transcriptions to replace with the term, e.g. 社宝, 设保"),
    )

    class Meta:
        ordering = ["term"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")

    def __str__(self) -> str:
        return self.term

    def mishearings(self) -> list[str]:
        return split_terms(self.misheard_as)
