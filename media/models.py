from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin
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
        AUTO = "auto", _("Waiting for review, not yet public")
        APPROVED = "approved", _("Approved by a second person")

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


# A cue's text is shown in at most two lines on a phone; longer text is an editing mistake.
CUE_TEXT_MAX_LENGTH = 200


class SubtitleTrack(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    """A video's subtitles under the two-person review.

    The row holds the approved version once ``live``; every edit (and the speech recogniser's output, saved with no
    user) is a revision, the working copy, until the "Two-person review" workflow publishes it. ``cues`` is a list
    of ``[start, end, text]`` in time order.
    """

    asset = models.OneToOneField(VideoAsset, on_delete=models.CASCADE, related_name="subtitle_track", editable=False)
    cues = models.JSONField(_("subtitle lines"), default=list, blank=True)
    # What speech recognition wrote, kept to tell citizens whether the public text is still machine output.
    machine_cues = models.JSONField(default=list, blank=True, editable=False)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="subtitle_track")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="subtitle_track",
        for_concrete_model=False,
    )

    class Meta:
        verbose_name = _("subtitles")
        verbose_name_plural = _("subtitles")

    def __str__(self) -> str:
        return str(self.asset)

    @property
    def revisions(self):
        return self._revisions

    def publish(self, revision, *args, **kwargs):
        # Every path that makes a version public (workflow approval, a superuser's publish) passes here.
        result = super().publish(revision, *args, **kwargs)
        from .services import subtitles_published

        subtitles_published(track_id=self.pk)
        return result


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
