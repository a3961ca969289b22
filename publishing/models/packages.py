from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from .channels import Channel

STALLED_REASON = _("The build stopped without finishing; rebuild it.")


def build_timeout() -> timedelta:
    return timedelta(minutes=getattr(settings, "PACKAGE_BUILD_TIMEOUT_MINUTES", 30))


# What the build writes: it belongs to the row as a whole, so a revision (the officer's choices) never turns it back.
BUILD_FIELDS = (
    "tutorial_revision_id",
    "build_status",
    "build_progress",
    "build_stage",
    "failure_reason",
    "caption",
    "article_html",
    "weibo_text",
    "out_of_date",
    "out_of_date_reason",
    "out_of_date_code",
    "out_of_date_at",
    "out_of_date_revision_id",
    "out_of_date_title",
    "built_at",
    "build_started_at",
    "build_heartbeat_at",
    "created_by_id",
)


class Package(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    """The files one tutorial becomes for one channel, built by a task and published after a second person approves."""

    class BuildStatus(models.TextChoices):
        QUEUED = "queued", _("Waiting to be built")
        BUILDING = "building", _("Building")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class OutOfDate(models.TextChoices):
        TUTORIAL_REPUBLISHED = "tutorial_republished", _("The tutorial was changed and republished")

    tutorial = models.ForeignKey(
        "tutorials.TutorialPage", verbose_name=_("tutorial"), on_delete=models.CASCADE, related_name="packages"
    )
    channel = models.ForeignKey(Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="packages")
    tutorial_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    build_status = models.CharField(
        _("build status"), max_length=10, choices=BuildStatus.choices, default=BuildStatus.QUEUED, editable=False
    )
    build_progress = models.FloatField(_("build progress"), default=0.0, editable=False)
    build_stage = models.CharField(_("build stage"), max_length=120, blank=True, editable=False)
    failure_reason = models.TextField(_("reason it failed"), blank=True, editable=False)
    caption = models.TextField(_("caption"), blank=True, editable=False)
    article_html = models.TextField(_("article HTML"), blank=True, editable=False)
    weibo_text = models.TextField(_("Weibo text"), blank=True, editable=False)
    out_of_date = models.BooleanField(_("out of date"), default=False, editable=False)
    # Rows marked before the reason was kept as data hold the message, in the language the marking task ran in.
    out_of_date_reason = models.TextField(_("why it is out of date"), blank=True, editable=False)
    # What made it out of date, kept as data and said in the reader's language (out_of_date_message).
    out_of_date_code = models.CharField(
        _("what made it out of date"), max_length=32, choices=OutOfDate.choices, blank=True, editable=False
    )
    out_of_date_at = models.DateTimeField(_("out of date since"), null=True, blank=True, editable=False)
    out_of_date_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    out_of_date_title = models.CharField(
        _("tutorial title when it went out of date"), max_length=255, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True, editable=False)
    # The build's lease: when the worker took it (also who holds it) and when it last reported progress.
    build_started_at = models.DateTimeField(_("build started at"), null=True, blank=True, editable=False)
    build_heartbeat_at = models.DateTimeField(_("build last heard from at"), null=True, blank=True, editable=False)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="publishing_package")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="publishing_package",
        for_concrete_model=False,
    )

    panels = [FieldPanel("tutorial"), FieldPanel("channel")]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("channel package")
        verbose_name_plural = _("channel packages")

    def __str__(self) -> str:
        return f"{self.tutorial.title} · {self.channel}"

    @property
    def revisions(self):
        return self._revisions

    @property
    def progress_percent(self) -> int:
        return round(100 * self.build_progress)

    @property
    def build_stalled(self) -> bool:
        """Building, but its worker has not been heard from within the timeout: the build stopped and counts as
        failed."""
        if self.build_status != self.BuildStatus.BUILDING:
            return False
        heard = self.build_heartbeat_at or self.build_started_at
        return heard is None or heard < timezone.now() - build_timeout()

    @property
    def shown_build_status(self) -> str:
        return self.BuildStatus.FAILED if self.build_stalled else self.build_status

    @property
    def shown_failure_reason(self) -> str:
        return str(STALLED_REASON) if self.build_stalled else self.failure_reason

    def shown_build_status_label(self) -> str:
        return str(self.BuildStatus(self.shown_build_status).label)

    shown_build_status_label.short_description = _("build status")

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        for name in BUILD_FIELDS:
            setattr(obj, name, getattr(self, name))
        return obj

    def privacy_text_places(self):
        from django.utils.html import strip_tags

        from privacy.selectors import TextPlace

        yield TextPlace("caption", self.caption)
        yield TextPlace("article", strip_tags(self.article_html))
        yield TextPlace("weibo", self.weibo_text)

    def privacy_file_places(self):
        from privacy.selectors import FilePlace

        # The step pictures are the tutorial's screenshots, only smaller: their own scans (privacy_dependents) count.
        pictures = (PackageFile.Role.COVER, PackageFile.Role.LONG_IMAGE)
        for row in PackageFile.objects.filter(package_id=self.pk, role__in=pictures):
            yield FilePlace(row.role, row.file)

    def privacy_dependents(self) -> list:
        """The tutorial, its screenshots and its videos: a finding on any of them stops the package too."""
        tutorial = self.tutorial
        return [tutorial, *tutorial.screenshot_images(), *tutorial.step_videos()]

    def out_of_date_message(self) -> str:
        """Why the package is out of date, in the active language; "" while it is up to date."""
        if not self.out_of_date:
            return ""
        if self.out_of_date_code == self.OutOfDate.TUTORIAL_REPUBLISHED:
            when = timezone.localtime(self.out_of_date_at).strftime("%Y-%m-%d %H:%M") if self.out_of_date_at else ""
            return str(
                _("“%(title)s” was changed and republished on %(when)s; the package shows the earlier version.")
            ) % {"title": self.out_of_date_title or self.tutorial.title, "when": when}
        return self.out_of_date_reason

    out_of_date_message.short_description = _("out of date")

    def privacy_blocking_message(self) -> str:
        from privacy.selectors import privacy_blocking_message

        return privacy_blocking_message(obj=self)

    def publication_blocking_message(self) -> str:
        """Why this package may not go out now, or ""."""
        if self.build_status != self.BuildStatus.READY:
            return str(_("This package cannot be published: it is not built (%(status)s).")) % {
                "status": self.shown_build_status_label()
            }
        if self.out_of_date:
            return str(_("This package is out of date and must be rebuilt before it is published: %(reason)s")) % {
                "reason": self.out_of_date_message()
            }
        return str(self.privacy_blocking_message())

    def publish(self, revision, *args, **kwargs):
        # The last guard, whatever path publishes (workflow approval, a superuser, the schedule).
        current = type(self).objects.get(pk=self.pk)
        message = current.publication_blocking_message()
        if message:
            if kwargs.get("log_action") == "wagtail.publish.scheduled":
                from wagtail.log_actions import log

                log(instance=current, action="bangban.publish_blocked", revision=revision, data={"reason": message})
                return None
            raise ValidationError(message)
        result = super().publish(revision, *args, **kwargs)
        if type(self).objects.filter(pk=self.pk, live=True, live_revision=revision).exists():
            # Gone live now, not merely scheduled for later.
            from publishing.services import publication_record

            publication_record(package_id=self.pk, user=kwargs.get("user"))
        return result


def package_file_path(instance: "PackageFile", filename: str) -> str:
    return f"packages/{instance.package_id}/{filename}"


class PackageFile(models.Model):
    class Role(models.TextChoices):
        VIDEO = "video", _("Vertical video")
        COVER = "cover", _("Cover image")
        LONG_IMAGE = "long_image", _("Long image")
        ARTICLE_HTML = "article_html", _("Article (HTML)")
        POSTER_A4 = "poster_a4", _("A4 poster (PDF)")
        POSTER_A3 = "poster_a3", _("A3 poster (PDF)")
        CAPTION = "caption", _("Caption text")
        STEP_IMAGE = "step_image", _("Step picture")

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # The step a step picture belongs to (1, 2, …); 0 for the files of the package as a whole.
    step = models.PositiveSmallIntegerField(_("step"), default=0)
    # The default storage is the private one: an unreleased package is never on the public media path.
    file = models.FileField(_("file"), upload_to=package_file_path, max_length=300)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ["package", "role", "step"]
        verbose_name = _("package file")
        verbose_name_plural = _("package files")
        constraints = [
            models.UniqueConstraint(fields=["package", "role", "step"], name="publishing_packagefile_one_per_role_step")
        ]

    def __str__(self) -> str:
        return f"{self.package_id}/{self.key}"

    @property
    def key(self) -> str:
        """The file's name among the package's files (what a publication records its SHA-256 under): the role, and
        for a step picture the step too."""
        return f"{self.role}:{self.step}" if self.step else self.role


class Publication(models.Model):
    """One time a package went out: which files (by SHA-256), where, when and by whom."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="publications")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="publications")
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    files = models.JSONField(_("files"), default=dict, blank=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return f"{self.package} @ {self.published_at:%Y-%m-%d %H:%M}"
