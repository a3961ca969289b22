import logging

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.log_actions import log
from wagtail.models import Orderable, Page
from wagtail.search import index

from privacy.panels import FindingsPanel

from .blocks import StepBlock
from .chapters import Chapter, StepVideo, chapter_spans
from .forms import TutorialPageForm

logger = logging.getLogger(__name__)

SCHEDULED_PUBLISH = "wagtail.publish.scheduled"
# A log entry (Reports → Site history, the page's history) for a scheduled publication the guard stopped.
PUBLISH_BLOCKED = "bangban.publish_blocked"


class ServiceCategory(models.Model):
    """A government service area (社保, 医保, 税务 …) tutorials are filed under."""

    COLOURS = [
        ("blue", _("Blue")),
        ("green", _("Green")),
        ("orange", _("Orange")),
        ("red", _("Red")),
        ("purple", _("Purple")),
        ("teal", _("Teal")),
    ]

    name = models.CharField(_("name"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    badge = models.CharField(
        _("badge"), max_length=2, help_text=_("One or two characters shown in the category's circle.")
    )
    colour = models.CharField(_("colour"), max_length=10, choices=COLOURS, default="blue")
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("badge"),
        FieldPanel("colour"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    ELDERLY = "elderly", _("Older people")
    FAMILIES = "families", _("Parents and families")
    WORKERS = "workers", _("Employees")
    NEWCOMERS = "newcomers", _("New residents")
    BUSINESSES = "businesses", _("Businesses")


class TutorialIndexPage(RoutablePageMixin, Page):
    intro = models.TextField(_("introduction"), max_length=600, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["tutorials.TutorialPage"]

    class Meta:
        verbose_name = _("tutorial index page")

    def tutorials(self):
        return (
            TutorialPage.objects.child_of(self)
            .live()
            .public()
            .select_related("category")
            .order_by("category__sort_order", "title")
        )

    @path("")
    def index_route(self, request):
        from .selectors import category_list_with_counts

        return self.render(
            request,
            context_overrides={"categories": category_list_with_counts(), "tutorials": self.tutorials()},
        )

    @path("category/<slug:slug>/", name="category")
    def category_route(self, request, slug):
        category = get_object_or_404(ServiceCategory, slug=slug)
        return self.render(
            request,
            template="tutorials/category_page.html",
            context_overrides={"category": category, "tutorials": self.tutorials().filter(category=category)},
        )


class TutorialPage(Page):
    summary = models.CharField(
        _("summary"),
        max_length=240,
        help_text=_(
            "One or two plain sentences under the title in lists and search results: what the reader can do "
            "after following this tutorial."
        ),
    )
    category = models.ForeignKey(
        ServiceCategory,
        verbose_name=_("service category"),
        on_delete=models.PROTECT,
        related_name="tutorials",
        help_text=_("The service area citizens browse to find this tutorial."),
    )
    audience = models.CharField(
        _("audience"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.EVERYONE,
        help_text=_("Who the tutorial is mainly written for; shown as a label on the tutorial."),
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("About how many minutes someone doing this for the first time needs for all the steps."),
    )
    last_reviewed = models.DateField(
        _("last reviewed"),
        help_text=_(
            "The day someone last checked that the steps still match the service's real screens; shown to readers."
        ),
    )
    steps = StreamField([("step", StepBlock())], verbose_name=_("steps"), min_num=1, max_num=30)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("category", widget=forms.RadioSelect),
                FieldPanel("audience"),
                FieldPanel("estimated_minutes"),
                FieldPanel("last_reviewed"),
            ],
            heading=_("About this tutorial"),
        ),
        FieldPanel("steps"),
        InlinePanel("related_links", label=_("Related tutorials"), max_num=6),
        FindingsPanel(),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("steps"),
        index.FilterField("category"),
    ]

    parent_page_types = ["tutorials.TutorialIndexPage"]
    subpage_types: list[str] = []
    base_form_class = TutorialPageForm

    class Meta:
        verbose_name = _("tutorial page")

    def step_ids(self) -> list[str]:
        return [block.id for block in self.steps if block.block_type == "step"]

    def step_number(self, step_id: str) -> int:
        try:
            return self.step_ids().index(step_id) + 1
        except ValueError as exc:
            raise Http404("No such step") from exc

    def screenshot_images(self) -> list:
        """The distinct images the steps show, in order."""
        seen: dict[int, object] = {}
        for block in self.steps:
            for shot in block.value["screenshots"]:
                image = shot["image"]
                if image is not None:
                    seen.setdefault(image.pk, image)
        return list(seen.values())

    def step_videos(self) -> list:
        """The distinct videos the steps carry, in order of first appearance."""
        seen: dict[int, object] = {}
        for block in self.steps:
            video = block.value.get("video")
            if video is not None:
                seen.setdefault(video.pk, video)
        return list(seen.values())

    def videos_blocking_publication(self) -> list:
        return [video for video in self.step_videos() if not video.publishable]

    def privacy_blocking_message(self) -> str:
        return privacy_blocking_message(self)

    def video_chapters(self, video) -> list[tuple[float, str]]:
        """(start second, step title) for every step that shows part of ``video``."""
        chapters = []
        for number, block in enumerate(self.steps, start=1):
            value = block.value
            if value.get("video") is not None and value["video"].pk == video.pk:
                chapters.append((float(value.get("video_start") or 0), f"{number}. {value['title']}"))
        return sorted(chapters)

    def step_chapters(self) -> dict[str, Chapter]:
        """Each video step's chapter of its video, by block id (see tutorials.chapters.chapter_spans)."""
        blocks = [block for block in self.steps if block.block_type == "step"]
        steps, durations = [], {}
        for block in blocks:
            video = block.value.get("video")
            if video is not None:
                durations[video.pk] = video.duration
            steps.append(
                StepVideo(
                    video_id=video.pk if video is not None else None,
                    start=block.value.get("video_start"),
                    end=block.value.get("video_end"),
                )
            )
        spans = chapter_spans(steps, durations)
        return {block.id: span for block, span in zip(blocks, spans, strict=True) if span is not None}

    def publish(self, revision, *args, **kwargs):
        # The last guard, whatever path publishes (editor, workflow, schedule): no unapproved subtitles and no open
        # personal-information finding go out.
        candidate = revision.as_object()
        blocking = candidate.videos_blocking_publication()
        message = video_blocking_message(blocking) if blocking else privacy_blocking_message(candidate)
        if message:
            if kwargs.get("log_action") == SCHEDULED_PUBLISH:
                # publish_scheduled goes through every due revision in one loop: this one is reported and stays
                # due (tried again on the next run), and the others still go live.
                log(instance=self, action=PUBLISH_BLOCKED, revision=revision, data={"reason": str(message)})
                logger.warning("Scheduled publication of page %s blocked: %s", self.pk, message)
                return None
            raise ValidationError(message)
        return super().publish(revision, *args, **kwargs)

    def related_tutorials(self):
        ids = [link.related_id for link in self.related_links.all()]
        pages = TutorialPage.objects.filter(pk__in=ids).live().public().select_related("category")
        by_id = {page.pk: page for page in pages}
        return [by_id[pk] for pk in ids if pk in by_id]

    def category_url(self, request=None) -> str:
        parent = self.get_parent().specific
        return parent.url + parent.reverse_subpage("category", kwargs={"slug": self.category.slug})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["thanked_step"] = request.GET.get("thanks", "")
        return context


def video_blocking_message(videos) -> str:
    titles = "、".join(str(video) for video in videos)
    return _(
        "This tutorial cannot be published yet: these videos are still being processed, failed, or have "
        "subtitles an editor has not approved: %(titles)s"
    ) % {"titles": titles}


def privacy_blocking_message(page) -> str:
    from privacy.selectors import publication_blockers, scans_unfinished_message

    blockers = publication_blockers(page=page)
    running = scans_unfinished_message(obj=page)
    if not blockers:
        return _("This tutorial cannot be published yet. %(reason)s") % {"reason": running} if running else ""
    found = _(
        "This tutorial cannot be published yet: personal information was found (%(places)s). Mask it or edit the "
        "text, or ask a Moderator to override it, in the personal-information panel."
    ) % {"places": "; ".join(blockers)}
    return f"{found} {running}".strip()


class RelatedTutorial(Orderable):
    page = ParentalKey(TutorialPage, on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(TutorialPage, verbose_name=_("tutorial"), on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("related", page_type="tutorials.TutorialPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("related tutorial")


class StepFeedback(models.Model):
    """One anonymous answer to "did this step help?". Nothing about the person is stored."""

    class Reason(models.TextChoices):
        UNCLEAR = "unclear", _("The step is hard to understand")
        SCREENSHOT = "screenshot", _("The screenshot differs from my phone")
        BUTTON = "button", _("I cannot find the button")
        OTHER = "other", _("Other")

    page = models.ForeignKey(TutorialPage, on_delete=models.CASCADE, related_name="step_feedback")
    step_id = models.CharField(max_length=64)
    helpful = models.BooleanField()
    # Only one of the fixed choices, never free text: nothing a citizen types about themselves is kept.
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("step feedback")
        verbose_name_plural = _("step feedback")
        indexes = [models.Index(fields=["page", "step_id"])]

    def __str__(self) -> str:
        return f"{self.page_id}/{self.step_id}: {'yes' if self.helpful else 'no'}"
