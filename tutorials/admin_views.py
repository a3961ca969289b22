import django_filters
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from .models import StepFeedback
from .selectors import STEP_FEEDBACK_ORDERINGS, step_feedback_rows


class StepFeedbackFilterSet(WagtailFilterSet):
    created_at = django_filters.DateFromToRangeFilter(label=_("Answered between"), widget=DateRangePickerWidget)

    class Meta:
        model = StepFeedback
        fields = []


class StepColumn(Column):
    """The step's number and title, linked to it on the public page (#step-N) while the tutorial is live."""

    cell_template_name = "tutorials/admin/step_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        page = instance.page
        context["step_url"] = (
            f"{page.get_url(parent_context.get('request'))}#step-{instance.number}"
            if page.live and instance.number
            else ""
        )
        return context


class ShareColumn(Column):
    cell_template_name = "tutorials/admin/share_cell.html"

    class Media:
        css = {"all": ["tutorials/css/admin.css"]}


class ReasonsColumn(Column):
    cell_template_name = "tutorials/admin/reasons_cell.html"


class StepFeedbackReportView(ReportView):
    """Editors see, per tutorial and step, how many citizens found the step helpful, and why not."""

    page_title = _("Step feedback")
    header_icon = "help"
    index_url_name = "step_feedback_report"
    index_results_url_name = "step_feedback_report_results"
    permission_policy = ModelPermissionPolicy(StepFeedback)
    permission_required = "view"
    filterset_class = StepFeedbackFilterSet
    default_ordering = "tutorial"
    columns = [
        TitleColumn(
            "tutorial",
            label=_("Tutorial"),
            accessor="tutorial_title",
            sort_key="tutorial",
            get_url=lambda row: reverse("wagtailadmin_pages:edit", args=(row.page.pk,)),
        ),
        StepColumn("step", label=_("Step")),
        Column("helpful", label=_("Helpful"), sort_key="helpful"),
        Column("not_helpful", label=_("Not helpful"), sort_key="not_helpful"),
        ShareColumn("share", label=_("Share helpful"), sort_key="share"),
        ReasonsColumn("reasons", label=_("Why not")),
        DateColumn("last_answer", label=_("Last answer"), sort_key="last_answer"),
    ]
    list_export = [
        "tutorial_title",
        "number",
        "title",
        "helpful",
        "not_helpful",
        "helpful_percent",
        *StepFeedback.Reason.values,
        "last_answer",
    ]
    export_headings = {
        "tutorial_title": _("Tutorial"),
        "number": _("Step"),
        "title": _("Step title"),
        "helpful": _("Helpful"),
        "not_helpful": _("Not helpful"),
        "helpful_percent": _("Share helpful (%)"),
        **dict(StepFeedback.Reason.choices),
        "last_answer": _("Last answer"),
    }

    def get_filename(self):
        return "step-feedback"

    def get_valid_orderings(self):
        return [key for name in STEP_FEEDBACK_ORDERINGS for key in (name, f"-{name}")]

    def get_filtered_queryset(self):
        # The date range narrows the answers before they are counted per step.
        feedback = self.filter_queryset(StepFeedback.objects.all())
        return step_feedback_rows(feedback=feedback, ordering=self.ordering)
