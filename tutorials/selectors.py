from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from .models import ServiceCategory, StepFeedback, TutorialPage


def tutorial_live_qs() -> QuerySet[TutorialPage]:
    return TutorialPage.objects.live().public().select_related("category")


def category_list_with_counts() -> list[ServiceCategory]:
    """Categories with the number of live tutorials in each; empty ones are left out."""
    live_ids = tutorial_live_qs().values("pk")
    return list(
        ServiceCategory.objects.annotate(
            tutorial_count=Count("tutorials", filter=Q(tutorials__pk__in=live_ids))
        ).filter(tutorial_count__gt=0)
    )


def tutorial_list_recent(*, limit: int) -> list[TutorialPage]:
    return list(tutorial_live_qs().order_by("-last_reviewed", "title")[:limit])


@dataclass(frozen=True)
class StepFeedbackRow:
    """One step's answers: counts of "Yes" and "No", and of each reason given with a "No"."""

    page: TutorialPage
    step_id: str
    number: int | None  # None: the step was removed from the tutorial since
    title: str
    helpful: int
    not_helpful: int
    unclear: int
    screenshot: int
    button: int
    other: int
    last_answer: datetime

    @property
    def tutorial_title(self) -> str:
        return self.page.title

    @property
    def total(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def helpful_percent(self) -> int:
        return round(100 * self.helpful / self.total) if self.total else 0

    def reason_counts(self) -> list[tuple[str, int]]:
        """(label, count) for every reason given at least once, most given first."""
        counts = [(label, getattr(self, value)) for value, label in StepFeedback.Reason.choices]
        return sorted((item for item in counts if item[1]), key=lambda item: -item[1])


STEP_FEEDBACK_ORDERINGS: dict[str, Callable[[StepFeedbackRow], tuple]] = {
    "tutorial": lambda row: (row.page.title, row.page.pk, row.number or 10_000),
    "helpful": lambda row: (row.helpful,),
    "not_helpful": lambda row: (row.not_helpful,),
    "share": lambda row: (row.helpful_percent, row.total),
    "total": lambda row: (row.total,),
    "last_answer": lambda row: (row.last_answer,),
}


def step_feedback_rows(*, feedback: QuerySet[StepFeedback], ordering: str = "tutorial") -> list[StepFeedbackRow]:
    """Per step that has answers in ``feedback`` (already narrowed, e.g. to a date range): the counts, with the
    step's current number and title. ``ordering`` is a key of STEP_FEEDBACK_ORDERINGS, "-" first for descending;
    ties keep the tutorial and step order."""
    not_helpful = Q(helpful=False)
    aggregated = (
        feedback.order_by()
        .values("page_id", "step_id")
        .annotate(
            yes=Count("pk", filter=Q(helpful=True)),
            no=Count("pk", filter=not_helpful),
            last=Max("created_at"),
            **{value: Count("pk", filter=not_helpful & Q(reason=value)) for value in StepFeedback.Reason.values},
        )
    )
    pages = TutorialPage.objects.filter(pk__in={row["page_id"] for row in aggregated})
    steps_by_page = {
        page.pk: (page, {block.id: (number, block.value["title"]) for number, block in enumerate(
            (block for block in page.steps if block.block_type == "step"), start=1
        )})
        for page in pages
    }  # fmt: skip
    rows = []
    for row in aggregated:
        page, steps = steps_by_page[row["page_id"]]
        number, title = steps.get(row["step_id"], (None, ""))
        rows.append(
            StepFeedbackRow(
                page=page,
                step_id=row["step_id"],
                number=number,
                title=title,
                helpful=row["yes"],
                not_helpful=row["no"],
                last_answer=row["last"],
                **{value: row[value] for value in StepFeedback.Reason.values},
            )
        )
    rows.sort(key=STEP_FEEDBACK_ORDERINGS["tutorial"])
    key = ordering.removeprefix("-")
    if key != "tutorial" or ordering.startswith("-"):
        rows.sort(key=STEP_FEEDBACK_ORDERINGS[key], reverse=ordering.startswith("-"))
    return rows


@dataclass(frozen=True)
class ChapterRow:
    """One video step in the admin's chapter times: what is saved and what the transcript suggests."""

    block_id: str
    number: int
    title: str
    video: object
    start: float | None
    end: float | None
    suggested: float | None


def chapter_rows(*, page: TutorialPage) -> tuple[list[ChapterRow], list[str]]:
    """The video steps of the page's latest revision with chapter starts suggested from each video's approved
    subtitles, and the reasons a video got no suggestion."""
    from media.selectors import video_track

    from .chapters import suggest_chapter_starts

    latest = page.get_latest_revision_as_object()
    steps = [
        (number, block)
        for number, block in enumerate(latest.steps, start=1)
        if block.block_type == "step" and block.value.get("video") is not None
    ]
    suggested: dict[str, float] = {}
    problems: list[str] = []
    by_video: dict[int, list] = {}
    for number, block in steps:
        by_video.setdefault(block.value["video"].pk, []).append((number, block))
    for blocks in by_video.values():
        video = blocks[0][1].value["video"]
        cues = [(cue.start, cue.end, cue.text) for cue in video_track(asset=video).cues]
        texts = [f"{block.value['title']}。{block.value['text']}" for _, block in blocks]
        if not cues:
            problems.append(_("%(video)s: no approved subtitles to match the steps with.") % {"video": video})
            continue
        if len(cues) < len(texts):
            problems.append(
                _("%(video)s: %(steps)s steps need at least as many subtitle lines; the video has %(cues)s.")
                % {"video": video, "steps": len(texts), "cues": len(cues)}
            )
            continue
        starts = suggest_chapter_starts(texts, cues)
        suggested.update({block.id: start for (_, block), start in zip(blocks, starts, strict=True)})
    rows = [
        ChapterRow(
            block_id=block.id,
            number=number,
            title=block.value["title"],
            video=block.value["video"],
            start=block.value.get("video_start"),
            end=block.value.get("video_end"),
            suggested=suggested.get(block.id),
        )
        for number, block in steps
    ]
    return rows, problems
