from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

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
    number: int
    title: str
    helpful: int
    not_helpful: int

    @property
    def total(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def helpful_percent(self) -> int:
        return round(100 * self.helpful / self.total) if self.total else 0


@dataclass(frozen=True)
class TutorialFeedback:
    page: TutorialPage
    steps: list[StepFeedbackRow]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.steps)


def step_feedback_summary() -> list[TutorialFeedback]:
    """Counts of "did this step help?" answers for every tutorial that has any, in step order."""
    counts: dict[int, dict[str, tuple[int, int]]] = {}
    rows = StepFeedback.objects.values("page_id", "step_id").annotate(
        yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False))
    )
    for row in rows:
        counts.setdefault(row["page_id"], {})[row["step_id"]] = (row["yes"], row["no"])
    summary = []
    for page in TutorialPage.objects.filter(pk__in=counts).order_by("title"):
        page_counts = counts[page.pk]
        steps = [
            StepFeedbackRow(number, block.value["title"], *page_counts.get(block.id, (0, 0)))
            for number, block in enumerate(page.steps, start=1)
        ]
        summary.append(TutorialFeedback(page=page, steps=steps))
    return summary
