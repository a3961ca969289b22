from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from training.quiz.scoring import GradingMethod as PureGradingMethod
from training.quiz.types import QuestionType


class QuestionCategory(models.Model):
    """A category of the question bank, named by its path: "社保/医保" is "医保" below "社保"."""

    name = models.CharField(_("name"), max_length=200, unique=True, help_text=_("Use / for a sub-category: 社保/医保."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")

    def __str__(self) -> str:
        return self.name


class QuestionTag(TaggedItemBase):
    content_object = models.ForeignKey("training.Question", on_delete=models.CASCADE, related_name="tagged_items")


class Question(models.Model):
    """A question of the bank. ``data`` holds what its type needs (``training.quiz.data``), answer keys included:
    it never leaves the server before an attempt is submitted."""

    class Type(models.TextChoices):
        SINGLE = QuestionType.SINGLE.value, _("Single choice")
        MULTIPLE = QuestionType.MULTIPLE.value, _("Multiple choice")
        TRUE_FALSE = QuestionType.TRUE_FALSE.value, _("True/false")
        SHORT_ANSWER = QuestionType.SHORT_ANSWER.value, _("Short answer")
        MATCHING = QuestionType.MATCHING.value, _("Matching")

    category = models.ForeignKey(
        QuestionCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="questions"
    )
    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("question"))
    feedback = models.TextField(_("general feedback"), blank=True, help_text=_("Shown with the result."))
    data = models.JSONField(_("answers"), default=dict, blank=True)
    tags = TaggableManager(through=QuestionTag, blank=True, verbose_name=_("tags"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category__name", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.title or self.text[:60]


class Quiz(ClusterableModel):
    """A quiz: chosen on a lesson (taken after it) or on a course (its final quiz)."""

    class GradingMethod(models.TextChoices):
        HIGHEST = PureGradingMethod.HIGHEST.value, _("Highest attempt")
        LAST = PureGradingMethod.LAST.value, _("Last attempt")
        AVERAGE = PureGradingMethod.AVERAGE.value, _("Average of attempts")

    title = models.CharField(_("title"), max_length=120)
    pass_mark = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    attempts_limit = models.PositiveSmallIntegerField(_("attempts allowed"), default=0, help_text=_("0 for no limit."))
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Leave empty for no time limit.")
    )
    grading_method = models.CharField(
        _("grading method"), max_length=10, choices=GradingMethod.choices, default=GradingMethod.HIGHEST
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("pass_mark"),
        FieldPanel("attempts_limit"),
        FieldPanel("time_limit_minutes"),
        FieldPanel("grading_method"),
        InlinePanel("draws", label=_("Questions drawn from each category"), min_num=1),
    ]

    class Meta:
        ordering = ["title"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return self.title


class QuizDraw(Orderable):
    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="draws")
    category = models.ForeignKey(
        QuestionCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveSmallIntegerField(_("questions"), default=1, validators=[MinValueValidator(1)])

    panels = [FieldPanel("category"), FieldPanel("count")]

    class Meta(Orderable.Meta):
        verbose_name = _("questions from a category")
        verbose_name_plural = _("questions from categories")


class Attempt(models.Model):
    """One go at a quiz. ``questions`` is what was drawn: ``[{"id": question id, "order": [stored positions]}]``."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        EXPIRED = "expired", _("Closed at the time limit")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.IN_PROGRESS)
    questions = models.JSONField(default=list)
    started_at = models.DateTimeField(auto_now_add=True)
    deadline_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(fields=["user", "quiz", "number"], name="training_attempt_unique_number"),
            models.UniqueConstraint(
                fields=["user", "quiz"], condition=Q(state="in_progress"), name="training_attempt_one_open"
            ),
        ]
        indexes = [models.Index(fields=["quiz", "state"])]

    @property
    def finished(self) -> bool:
        return self.state != self.State.IN_PROGRESS

    @property
    def question_ids(self) -> list[int]:
        return [row["id"] for row in self.questions]


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    response = models.JSONField(null=True, blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=5, null=True, blank=True)
    correct = models.BooleanField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="training_answer_one_per_question")]
        # The question dashboard reads a quiz's answers attempt by attempt from this index alone.
        indexes = [
            models.Index(
                fields=["attempt"], include=["question", "correct", "response"], name="training_answer_dashboard"
            )
        ]
