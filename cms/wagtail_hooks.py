"""The two-person review as the editor sees it: what the moderator decided, and one clear way to resubmit."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import SubmitForModerationMenuItem as PageSubmitMenuItem
from wagtail.admin.ui.components import Component
from wagtail.models import WorkflowMixin, WorkflowState
from wagtail.snippets.action_menu import SubmitForModerationMenuItem as SnippetSubmitMenuItem

from .selectors import ReviewOutcome, review_outcome_for_object, review_outcomes_for_user

RESUBMIT_LABEL = _("Resubmit for review")


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("cms/admin/admin.css"))


@hooks.register("insert_global_admin_js")
def admin_js():
    return format_html('<script src="{}" defer></script>', static("cms/admin/new_page_title.js"))


def outcome_message(outcome: ReviewOutcome) -> str:
    moderator = outcome.moderator or _("A moderator")
    if outcome.changes_requested:
        heading = _("Changes requested")
        text = _("%(moderator)s asked for changes.") % {"moderator": moderator}
    else:
        heading = _("Approved")
        text = _("%(moderator)s approved it.") % {"moderator": moderator}
    if outcome.comment:
        return format_html("<strong>{}</strong> {} {}<q>{}</q>", heading, text, _("Their comment:"), outcome.comment)
    return format_html("<strong>{}</strong> {}", heading, text)


def _announce_outcome(request, obj) -> None:
    # Shown on the page as it opens, like Wagtail's own lock notice; a POST (save, autosave) shows its own result.
    if request.method != "GET":
        return
    outcome = review_outcome_for_object(obj=obj)
    if outcome is None:
        return
    if outcome.changes_requested:
        messages.warning(request, outcome_message(outcome), extra_tags="review-outcome")
    else:
        messages.success(request, outcome_message(outcome), extra_tags="review-outcome")


@hooks.register("before_edit_page")
def announce_page_review_outcome(request, page):
    _announce_outcome(request, page)


@hooks.register("before_edit_snippet")
def announce_snippet_review_outcome(request, instance):
    if isinstance(instance, WorkflowMixin):
        _announce_outcome(request, instance)


class ReviewOutcomesPanel(Component):
    """On the dashboard: what moderators decided about what this user submitted."""

    name = "review_outcomes"
    template_name = "cms/admin/review_outcomes_panel.html"
    order = 105

    def __init__(self, outcomes: list[ReviewOutcome]):
        self.outcomes = outcomes

    def get_context_data(self, parent_context=None):
        return {"outcomes": [(outcome, outcome_message(outcome)) for outcome in self.outcomes]}

    def render_html(self, parent_context=None):
        if not self.outcomes:
            return ""
        return super().render_html(parent_context)


@hooks.register("construct_homepage_panels")
def add_review_outcomes_panel(request, panels):
    panels.append(ReviewOutcomesPanel(review_outcomes_for_user(user=request.user)))


class ResubmitPageMenuItem(PageSubmitMenuItem):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["label"] = RESUBMIT_LABEL
        return context


class ResubmitSnippetMenuItem(SnippetSubmitMenuItem):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["label"] = RESUBMIT_LABEL
        return context


def _offer_one_resubmit(menu_items, obj, resubmit_class) -> None:
    """After "changes requested", Wagtail offers "Resubmit to <task>" beside "Restart workflow", which do nearly
    the same. Keep one, named plainly, as the main button."""
    workflow_state = getattr(obj, "current_workflow_state", None) if obj is not None else None
    if workflow_state is None or workflow_state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return
    submit = next((item for item in menu_items if item.name == "action-submit"), None)
    if submit is None:
        return
    menu_items[:] = [item for item in menu_items if item.name not in ("action-submit", "action-restart-workflow")]
    menu_items.insert(0, resubmit_class(order=submit.order))


@hooks.register("construct_page_action_menu")
def offer_one_page_resubmit(menu_items, request, context):
    _offer_one_resubmit(menu_items, context.get("page"), ResubmitPageMenuItem)


@hooks.register("construct_snippet_action_menu")
def offer_one_snippet_resubmit(menu_items, request, context):
    _offer_one_resubmit(menu_items, context.get("instance"), ResubmitSnippetMenuItem)
