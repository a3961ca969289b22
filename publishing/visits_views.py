from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from .models import ChannelVisit
from .visits import tutorial_visit_totals, tutorial_visits, tutorials_by_visits
from .visits_chart import colour, line_chart_svg

RANGES = (7, 30, 90)


def tutorial_channel_visits(request: HttpRequest, page_id: int) -> HttpResponse:
    """One tutorial's visits by channel over time (a chart with a table beside it) and the helpful answers."""
    from tutorials.models import TutorialPage

    if not request.user.has_perm("publishing.view_channelvisit"):
        raise PermissionDenied
    page = get_object_or_404(TutorialPage, pk=page_id)
    raw = request.GET.get("days", "30")
    days = int(raw) if raw in {str(n) for n in RANGES} else 30
    dates, series = tutorial_visits(tutorial_id=page.pk, days=days)
    shown = [item for item in series if item.total_visits or item.total_helpful]
    chart = line_chart_svg(
        days=dates,
        series=[(item.channel.name, item.visits) for item in shown],
        title=_("Visits by channel, last %(days)s days") % {"days": days},
    )
    rows = [
        {
            "channel": item.channel,
            "colour": colour(n),
            "visits": item.total_visits,
            "helpful": item.total_helpful,
            "days": [day for day in item.days if day[1] or day[2]],
        }
        for n, item in enumerate(shown)
    ]
    return TemplateResponse(
        request,
        "publishing/admin/tutorial_visits.html",
        {
            "page": page,
            "days": days,
            "ranges": RANGES,
            "chart": mark_safe(chart),  # noqa: S308  built with every text escaped
            "rows": rows,
            "totals": tutorial_visit_totals(tutorial_id=page.pk),
        },
    )


class ChannelVisitsReportView(ReportView):
    """Every tutorial reached through channel links, most visited first; each links to its chart."""

    page_title = gettext_lazy("Visits by channel")
    header_icon = "view"
    index_url_name = "publishing_visits_report"
    index_results_url_name = "publishing_visits_report_results"
    permission_policy = ModelPermissionPolicy(ChannelVisit)
    permission_required = "view"
    columns = [
        TitleColumn(
            "title",
            label=gettext_lazy("Tutorial"),
            accessor="tutorial__title",
            get_url=lambda row: reverse("publishing_tutorial_visits", args=(row["tutorial_id"],)),
        ),
        Column("visits", label=gettext_lazy("Visits")),
        Column("helpful", label=gettext_lazy("Found the steps helpful")),
    ]
    list_export = ["tutorial__title", "visits", "helpful"]

    def get_filename(self):
        return "channel-visits"

    def get_queryset(self):
        return tutorials_by_visits()
