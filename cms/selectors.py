"""What the two-person review decided, read back for the people who asked for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from wagtail.admin.utils import get_user_display_name
from wagtail.models import TaskState, WorkflowState

# An approval stays on the submitter's dashboard this long; a request for changes stays until it is answered.
APPROVAL_NEWS_DAYS = 14


@dataclass(frozen=True)
class ReviewOutcome:
    """The latest decision on one page or snippet: changes requested, or approved."""

    workflow_state: WorkflowState
    task_state: TaskState
    moderator: str
    comment: str
    decided_at: datetime

    @property
    def changes_requested(self) -> bool:
        return self.task_state.status == TaskState.STATUS_REJECTED

    @property
    def content_object(self):
        return self.workflow_state.content_object


def _outcome(workflow_state: WorkflowState) -> ReviewOutcome | None:
    task_state = workflow_state.current_task_state
    if task_state is None or task_state.status not in (TaskState.STATUS_REJECTED, TaskState.STATUS_APPROVED):
        return None
    return ReviewOutcome(
        workflow_state=workflow_state,
        task_state=task_state,
        moderator=get_user_display_name(task_state.finished_by) if task_state.finished_by else "",
        comment=(task_state.comment or "").strip(),
        decided_at=task_state.finished_at or workflow_state.created_at,
    )


def review_outcome_for_object(*, obj) -> ReviewOutcome | None:
    """The decision the editor of ``obj`` has not acted on yet, if any.

    A request for changes holds until the object is resubmitted; an approval until someone saves a newer revision,
    for at most APPROVAL_NEWS_DAYS.
    """
    workflow_state = (
        WorkflowState.objects.for_instance(obj)
        .select_related("current_task_state__finished_by", "current_task_state__revision")
        .order_by("-created_at", "-pk")
        .first()
    )
    if workflow_state is None:
        return None
    if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return _outcome(workflow_state)
    if workflow_state.status == WorkflowState.STATUS_APPROVED:
        outcome = _outcome(workflow_state)
        latest_revision_id = getattr(obj, "latest_revision_id", None)
        recent = timezone.now() - timedelta(days=APPROVAL_NEWS_DAYS)
        if outcome and outcome.task_state.revision_id == latest_revision_id and outcome.decided_at >= recent:
            return outcome
    return None


def review_outcomes_for_user(*, user, limit: int = 10) -> list[ReviewOutcome]:
    """Decisions on what ``user`` submitted: every open request for changes, and recent approvals."""
    cutoff = timezone.now() - timedelta(days=APPROVAL_NEWS_DAYS)
    states = (
        WorkflowState.objects.filter(requested_by=user)
        .filter(
            Q(status=WorkflowState.STATUS_NEEDS_CHANGES)
            | Q(status=WorkflowState.STATUS_APPROVED, current_task_state__finished_at__gte=cutoff)
        )
        .select_related("current_task_state__finished_by")
        .prefetch_related("content_object")
        .order_by("-current_task_state__finished_at", "-pk")[:limit]
    )
    outcomes = [_outcome(state) for state in states if state.content_object is not None]
    return [outcome for outcome in outcomes if outcome is not None]
