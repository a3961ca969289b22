import math

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from .models import StepFeedback, TutorialPage
from .selectors import STEP_FEEDBACK_ORDERINGS, chapter_rows, step_feedback_rows
from .services import tutorial_chapters_save


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


def _seconds(raw: str, label: str, errors: list[str]) -> float | None:
    raw = (raw or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not math.isfinite(value) or value < 0:
        errors.append(
            _("%(field)s: “%(value)s” is not a number of seconds, e.g. 36.43.") % {"field": label, "value": raw}
        )
        return None
    return round(value, 2)


def chapter_times(request: HttpRequest, page_id: int) -> HttpResponse:
    """Chapter times of a tutorial's video steps, with times suggested from the approved subtitles: the editor
    checks or corrects them and saves a draft revision."""
    page = get_object_or_404(TutorialPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    rows, problems = chapter_rows(page=page)
    errors: list[str] = []
    if request.method == "POST":
        times = {}
        for row in rows:
            label = _("Step %(number)s") % {"number": row.number}
            start = _seconds(request.POST.get(f"start-{row.block_id}", ""), label, errors)
            end = _seconds(request.POST.get(f"end-{row.block_id}", ""), label, errors)
            times[row.block_id] = (start, end)
        if not errors:
            try:
                tutorial_chapters_save(page=page, user=request.user, times=times)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(
                    request, _("Chapter times saved as a draft. Submit the tutorial for review to publish them.")
                )
                return redirect("wagtailadmin_pages:edit", page.pk)
    fields = []
    for row in rows:
        start = row.suggested if row.suggested is not None else row.start
        fields.append(
            {
                "row": row,
                "start": request.POST.get(f"start-{row.block_id}", _plain(start)),
                "end": request.POST.get(f"end-{row.block_id}", _plain(row.end)),
                "differs": row.suggested is not None and abs(row.suggested - float(row.start or 0)) >= 0.01,
            }
        )
    return TemplateResponse(
        request,
        "tutorials/admin/chapter_times.html",
        {"page": page, "fields": fields, "problems": problems, "errors": errors},
    )


def _plain(seconds: float | None) -> str:
    return "" if seconds is None else f"{float(seconds):.2f}".rstrip("0").rstrip(".")
