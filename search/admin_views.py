import django_filters
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from .models import AnsweredQuery, IndexOutbox, ZeroResultQuery
from .selectors import outbox_failures
from .services import zero_results_clear


class LastSearchedFilterSet(WagtailFilterSet):
    last_seen = django_filters.DateFromToRangeFilter(label=_("Last searched between"), widget=DateRangePickerWidget)

    class Meta:
        model = ZeroResultQuery
        fields = []


class UnopenedFilterSet(LastSearchedFilterSet):
    asked_at_least = django_filters.NumberFilter(
        field_name="asked", lookup_expr="gte", label=_("Searched at least (times)"), min_value=1
    )

    class Meta:
        model = AnsweredQuery
        fields = []


class GapActionsColumn(Column):
    """A gap's next step: write the tutorial, or teach search that the words mean something it already has."""

    cell_template_name = "search/admin/gap_actions_cell.html"

    def __init__(self, name="actions", **kwargs):
        super().__init__(name, label=_("Actions"), **kwargs)


class GapActionsMixin:
    """Sets ``new_tutorial_url`` and ``add_synonym_url`` on each listed gap, empty where the user may not act."""

    def decorate_paginated_queryset(self, object_list):
        from tutorials.models import TutorialIndexPage

        user = self.request.user
        index = TutorialIndexPage.objects.order_by("path").first()
        new_tutorial = (
            reverse("wagtailadmin_pages:add", args=("tutorials", "tutorialpage", index.pk))
            if index is not None and index.permissions_for_user(user).can_add_subpage()
            else ""
        )
        may_add_synonym = user.has_perm("bangban_search.add_searchsynonym")
        add_synonym = reverse("wagtailsnippets_bangban_search_searchsynonym:add")
        entries = list(object_list)
        for entry in entries:
            entry.new_tutorial_url = f"{new_tutorial}?{urlencode({'title': entry.query})}" if new_tutorial else ""
            entry.add_synonym_url = (
                f"{add_synonym}?{urlencode({'terms': f'{entry.query}, '})}" if may_add_synonym else ""
            )
        return entries


class ContentGapsView(GapActionsMixin, ReportView):
    """What citizens searched for and did not find: the tutorials to write next."""

    page_title = _("Searches with no results")
    header_icon = "search"
    index_url_name = "search_content_gaps"
    index_results_url_name = "search_content_gaps_results"
    permission_policy = ModelPermissionPolicy(ZeroResultQuery)
    permission_required = "view"
    filterset_class = LastSearchedFilterSet
    default_ordering = "-count"
    columns = [
        Column("query", label=_("Search"), sort_key="query"),
        Column("count", label=_("Times searched"), sort_key="count"),
        DateColumn("first_seen", label=_("First searched"), sort_key="first_seen"),
        DateColumn("last_seen", label=_("Last searched"), sort_key="last_seen"),
        GapActionsColumn(),
    ]
    list_export = ["query", "count", "first_seen", "last_seen"]
    export_headings = {
        "query": _("Search"),
        "count": _("Times searched"),
        "first_seen": _("First searched"),
        "last_seen": _("Last searched"),
    }

    def get_filename(self):
        return "searches-with-no-results"

    def get_base_queryset(self):
        return ZeroResultQuery.objects.all()

    def order_queryset(self, queryset):
        return queryset.order_by(self.ordering, "-last_seen", "pk")

    def get_header_buttons(self):
        buttons = super().get_header_buttons()
        if self.permission_policy.user_has_permission(self.request.user, "delete"):
            buttons.append(HeaderButton(_("Clear the list"), url=reverse("search_content_gaps_clear"), icon_name="bin"))
        return buttons


class UnopenedSearchesView(GapActionsMixin, ReportView):
    """Searches that found tutorials, asked again and again, whose results nobody opened: the results do not
    answer what citizens mean (a missing tutorial, or words the site should know as synonyms)."""

    page_title = _("Searches nobody opened")
    header_icon = "search"
    index_url_name = "search_unopened"
    index_results_url_name = "search_unopened_results"
    permission_policy = ModelPermissionPolicy(AnsweredQuery)
    permission_required = "view"
    filterset_class = UnopenedFilterSet
    default_ordering = "-asked"
    columns = [
        Column("query", label=_("Search"), sort_key="query"),
        Column("asked", label=_("Times searched"), sort_key="asked"),
        DateColumn("first_seen", label=_("First searched"), sort_key="first_seen"),
        DateColumn("last_seen", label=_("Last searched"), sort_key="last_seen"),
        GapActionsColumn(),
    ]
    list_export = ["query", "asked", "first_seen", "last_seen"]
    export_headings = {
        "query": _("Search"),
        "asked": _("Times searched"),
        "first_seen": _("First searched"),
        "last_seen": _("Last searched"),
    }

    def get_filename(self):
        return "searches-nobody-opened"

    def get_base_queryset(self):
        queryset = AnsweredQuery.objects.filter(opened=0)
        # Without a threshold of their own, editors see the searches asked often enough to mean something.
        if not (self.filters and self.filters.is_valid() and self.filters.form.cleaned_data.get("asked_at_least")):
            queryset = queryset.filter(asked__gte=settings.SEARCH_UNOPENED_MIN_ASKED)
        return queryset

    def order_queryset(self, queryset):
        return queryset.order_by(self.ordering, "-last_seen", "pk")


class ContentGapsClearView(WagtailAdminTemplateMixin, TemplateView):
    """Asks first (GET), clears on POST: for editors who have acted on the list."""

    page_title = _("Clear the searches with no results")
    header_icon = "bin"
    template_name = "search/admin/content_gaps_clear.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("bangban_search.delete_zeroresultquery"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = ZeroResultQuery.objects.count()
        return context

    def post(self, request, *args, **kwargs):
        deleted = zero_results_clear()
        messages.success(request, _("Cleared %(count)s searches with no results.") % {"count": deleted})
        return redirect("search_content_gaps")


class IndexProblemsView(ReportView):
    """Tutorials the search cluster refused to index, with its reason; each is retried on its own."""

    page_title = _("Search index problems")
    header_icon = "warning"
    index_url_name = "search_index_problems"
    index_results_url_name = "search_index_problems_results"
    permission_policy = ModelPermissionPolicy(IndexOutbox)
    permission_required = "view"
    columns = [
        Column("title", label=_("Tutorial"), accessor="page_title"),
        Column("action", label=_("Change"), accessor=lambda item: item.get_action_display()),
        Column("attempts", label=_("Failed attempts")),
        Column("last_error", label=_("Reason")),
        DateColumn("retry_at", label=_("Next attempt")),
    ]
    list_export = ["page_id", "page_title", "action", "attempts", "last_error", "retry_at"]
    export_headings = {
        "page_id": _("Page"),
        "page_title": _("Tutorial"),
        "action": _("Change"),
        "attempts": _("Failed attempts"),
        "last_error": _("Reason"),
        "retry_at": _("Next attempt"),
    }

    def get_filename(self):
        return "search-index-problems"

    def get_queryset(self):
        return outbox_failures()
