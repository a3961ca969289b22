from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import DraftStateMixin, LockableMixin, Orderable, RevisionMixin, WorkflowMixin

from .people import Department, StaffProfile


class Course(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    """A training course under the two-person review: learners see the row only once a version is live.

    Who takes it is worked out when it is read (``training.selectors``) from the audience: everyone in an audience
    department or any department below it, and the people named. Moving someone between departments needs no sync.
    """

    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    audience_departments = ParentalManyToManyField(
        Department,
        verbose_name=_("departments"),
        blank=True,
        related_name="courses",
        help_text=_("Everyone in these departments and in the departments below them takes the course."),
    )
    audience_people = ParentalManyToManyField(
        StaffProfile, verbose_name=_("people"), blank=True, related_name="courses"
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    final_quiz = models.ForeignKey(
        "training.Quiz",
        verbose_name=_("final quiz"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="final_of_courses",
    )

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="training_course")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="training_course",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("audience_departments"), FieldPanel("audience_people")], heading=_("Who takes the course")
        ),
        FieldPanel("deadline"),
        InlinePanel("deadline_overrides", label=_("Deadlines for individual people")),
        InlinePanel("lessons", label=_("Lessons"), min_num=1),
        FieldPanel("final_quiz"),
    ]

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    @property
    def revisions(self):
        return self._revisions

    def privacy_text_places(self):
        from training.course_guard import course_text_places

        return course_text_places(self)

    def privacy_file_places(self):
        # No files of its own (lesson videos and tutorials are guarded themselves); declaring none sends the course
        # through the guard's generic scan, which reads its latest revision.
        return []

    def privacy_blocking_message(self) -> str:
        from training.course_guard import course_blocking_message

        return course_blocking_message(self)

    def publish(self, revision, *args, **kwargs):
        # The last guard, whatever path publishes (workflow approval, a superuser, the schedule): no personal
        # information in the course's text or its quizzes' questions goes out.
        message = revision.as_object().privacy_blocking_message()
        if message:
            if kwargs.get("log_action") == "wagtail.publish.scheduled":
                from wagtail.log_actions import log

                log(instance=self, action="bangban.publish_blocked", revision=revision, data={"reason": message})
                return None
            raise ValidationError(message)
        return super().publish(revision, *args, **kwargs)


class DeadlineOverride(Orderable):
    course = ParentalKey(Course, on_delete=models.CASCADE, related_name="deadline_overrides")
    person = models.ForeignKey(StaffProfile, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    deadline = models.DateField(_("deadline"))

    panels = [FieldPanel("person"), FieldPanel("deadline")]

    class Meta(Orderable.Meta):
        verbose_name = _("deadline for one person")
        verbose_name_plural = _("deadlines for individual people")


class Lesson(Orderable):
    """A lesson links a citizen tutorial (it is not copied) or has its own text; with a video it is a video lesson."""

    course = ParentalKey(Course, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(_("title"), max_length=120)
    tutorial = models.ForeignKey(
        "tutorials.TutorialPage",
        verbose_name=_("tutorial"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = RichTextField(_("text"), blank=True)
    video = models.ForeignKey(
        "bangban_media.VideoAsset",
        verbose_name=_("video"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("With a video, the lesson is complete once 95% of it has been watched."),
    )
    required = models.BooleanField(_("required"), default=True)
    quiz = models.ForeignKey(
        "training.Quiz",
        verbose_name=_("quiz"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
        help_text=_("Taken after the lesson; the lesson is complete once it is passed."),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("tutorial"),
        FieldPanel("body"),
        FieldPanel("video"),
        FieldPanel("quiz"),
        FieldPanel("required"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.title

    @property
    def is_video(self) -> bool:
        return self.video_id is not None


class LessonProgress(models.Model):
    """One learner's progress in one lesson, kept on the server so it continues on any device."""

    class Status(models.TextChoices):
        STARTED = "started", _("Started")
        COMPLETE = "complete", _("Complete")

    class CompletedBy(models.TextChoices):
        MARKED_DONE = "marked_done", _("Marked as done")
        READ_TO_END = "read_to_end", _("Read to the end")
        WATCHED = "watched", _("Watched")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.STARTED)
    completed_by = models.CharField(max_length=12, choices=CompletedBy.choices, blank=True)
    # Seconds of the lesson's video actually played, as merged [start, end] pairs in time order.
    watched_ranges = models.JSONField(default=list, blank=True)
    watched_seconds = models.FloatField(default=0)
    position = models.FloatField(default=0)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # The linked tutorial's live revision when the lesson was completed (or last re-read), to show what changed since.
    tutorial_revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="training_progress_one_per_lesson")]
        indexes = [models.Index(fields=["user", "-updated_at"])]

    @property
    def complete(self) -> bool:
        return self.status == self.Status.COMPLETE
