from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import StepFeedbackReportView, chapter_times
from .models import PUBLISH_BLOCKED, ServiceCategory, TutorialPage


class ServiceCategoryViewSet(SnippetViewSet):
    model = ServiceCategory
    icon = "tag"
    menu_label = _("Service categories")
    add_to_admin_menu = True
    menu_order = 210
    list_display = ["name", "slug", "badge", "sort_order"]
    search_fields = ["name", "description"]


register_snippet(ServiceCategoryViewSet)


class FeedbackMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("tutorials.view_stepfeedback")


@hooks.register("register_admin_urls")
def register_feedback_report_url():
    return [
        path("reports/step-feedback/", StepFeedbackReportView.as_view(), name="step_feedback_report"),
        path("tutorials/<int:page_id>/chapters/", chapter_times, name="tutorial_chapter_times"),
        path(
            "reports/step-feedback/results/",
            StepFeedbackReportView.as_view(results_only=True),
            name="step_feedback_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_feedback_report_menu_item():
    return FeedbackMenuItem(_("Step feedback"), reverse("step_feedback_report"), icon_name="help", order=700)


@hooks.register("register_log_actions")
def register_publish_blocked_action(actions):
    actions.register_action(
        PUBLISH_BLOCKED,
        _("Publication blocked"),
        _("Scheduled publication blocked: a video is not ready or personal information was found"),
    )


@hooks.register("register_page_header_buttons")
def chapter_times_button(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, TutorialPage) and page.permissions_for_user(user).can_edit():
        yield Button(
            _("Suggest chapter times"),
            reverse("tutorial_chapter_times", args=(page.pk,)),
            icon_name="media",
            priority=75,
        )
