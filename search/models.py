from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.terms import split_terms


class SearchSynonym(models.Model):
    """Words citizens use interchangeably (社保 = 社会保险); expanded at query time, so no reindex is needed."""

    terms = models.CharField(
        _("terms"),
        max_length=300,
        unique=True,
        help_text=_("Comma-separated words that mean the same, e.g. 社保, 社会保险"),
    )

    class Meta:
        ordering = ["terms"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self) -> str:
        return self.terms

    def words(self) -> list[str]:
        return split_terms(self.terms)


class ZeroResultQuery(models.Model):
    """A query that found nothing: the content gap editors should fill next. ID and phone numbers are removed."""

    query = models.CharField(_("query"), max_length=100, unique=True)
    count = models.PositiveIntegerField(_("times searched"), default=0)
    first_seen = models.DateTimeField(_("first searched"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last searched"), auto_now=True)

    class Meta:
        ordering = ["-count", "-last_seen"]
        verbose_name = _("search with no results")
        verbose_name_plural = _("searches with no results")

    def __str__(self) -> str:
        return self.query


class AnsweredQuery(models.Model):
    """A query that found tutorials: how often it was asked and how often a citizen opened one of the results.
    Asked again and again and never opened, the results do not answer it: a gap too. ID and phone numbers are
    removed."""

    query = models.CharField(_("query"), max_length=100, unique=True)
    asked = models.PositiveIntegerField(_("times searched"), default=0)
    opened = models.PositiveIntegerField(_("results opened"), default=0)
    first_seen = models.DateTimeField(_("first searched"), default=timezone.now)
    last_seen = models.DateTimeField(_("last searched"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-asked", "-last_seen"]
        verbose_name = _("search with results")
        verbose_name_plural = _("searches with results")

    def __str__(self) -> str:
        return self.query


class IndexOutbox(models.Model):
    """A change the search cluster has not taken yet. Kept until it succeeds, so nothing is lost while it is down."""

    class Action(models.TextChoices):
        INDEX = "index", _("index")
        DELETE = "delete", _("delete")

    page_id = models.PositiveIntegerField(_("page"), db_index=True)
    action = models.CharField(_("change"), max_length=10, choices=Action.choices)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.CharField(_("reason"), max_length=300, blank=True)
    # A change the cluster refused waits here, alone, while the others are applied (see outbox_drain).
    retry_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("search index change")
        verbose_name_plural = _("search index changes")

    def __str__(self) -> str:
        return f"{self.action} page {self.page_id}"


class FallbackEntry(models.Model):
    """A live tutorial's words, cut by jieba and separated by spaces, for database search when no cluster answers.

    PostgreSQL's text-search parser cannot find word boundaries in Chinese (a run of Han characters is one token),
    so the words are cut in Python, as for the cluster, and PostgreSQL full text works on these columns.
    """

    page = models.OneToOneField("tutorials.TutorialPage", on_delete=models.CASCADE, primary_key=True, related_name="+")
    title = models.TextField()
    summary = models.TextField(blank=True)
    steps = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.title
