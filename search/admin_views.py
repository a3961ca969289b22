from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from .models import IndexOutbox, ZeroResultQuery
from .selectors import outbox_failures
from .services import zero_results_clear


class ContentGapsView(ReportView):
    """What citizens searched for and did not find: the tutorials to write next."""

    page_title = _("Searches with no results")
    header_icon = "search"
    index_url_name = "search_content_gaps"
    index_results_url_name = "search_content_gaps_results"
    permission_policy = ModelPermissionPolicy(ZeroResultQuery)
    permission_required = "view"
    columns = [
        Column("query", label=_("Search")),
        Column("count", label=_("Times searched")),
        DateColumn("first_seen", label=_("First searched")),
        DateColumn("last_seen", label=_("Last searched")),
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

    def get_queryset(self):
        return ZeroResultQuery.objects.order_by("-count", "-last_seen")

    def get_header_buttons(self):
        buttons = super().get_header_buttons()
        if self.permission_policy.user_has_permission(self.request.user, "delete"):
            buttons.append(HeaderButton(_("Clear the list"), url=reverse("search_content_gaps_clear"), icon_name="bin"))
        return buttons


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
