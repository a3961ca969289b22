from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from .admin_views import ContentGapsClearView, ContentGapsView, IndexProblemsView, UnopenedSearchesView
from .models import SearchSynonym


class SynonymCreateView(CreateView):
    """Opened from a search gap with ?terms=…: the citizens' words are filled in, the editor adds the meaning."""

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance()
        if (terms := self.request.GET.get("terms", "")).strip():
            instance = instance or SearchSynonym()
            instance.terms = terms[: SearchSynonym._meta.get_field("terms").max_length]
        return instance


class SynonymViewSet(SnippetViewSet):
    model = SearchSynonym
    add_view_class = SynonymCreateView
    icon = "resubmit"
    menu_label = _("Search synonyms")
    add_to_settings_menu = True
    list_display = ["terms"]
    search_fields = ["terms"]


register_snippet(SynonymViewSet)


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_urls")
def register_search_report_urls():
    gaps, problems = ContentGapsView.as_view(), IndexProblemsView.as_view()
    return [
        path("reports/content-gaps/", gaps, name="search_content_gaps"),
        path("reports/content-gaps/results/", ContentGapsView.as_view(results_only=True),
             name="search_content_gaps_results"),
        path("reports/content-gaps/clear/", ContentGapsClearView.as_view(), name="search_content_gaps_clear"),
        path("reports/unopened-searches/", UnopenedSearchesView.as_view(), name="search_unopened"),
        path("reports/unopened-searches/results/", UnopenedSearchesView.as_view(results_only=True),
             name="search_unopened_results"),
        path("reports/search-index/", problems, name="search_index_problems"),
        path("reports/search-index/results/", IndexProblemsView.as_view(results_only=True),
             name="search_index_problems_results"),
    ]  # fmt: skip


@hooks.register("register_reports_menu_item")
def register_gaps_menu_item():
    return PermissionMenuItem(
        _("Searches with no results"), reverse("search_content_gaps"), icon_name="search", order=710,
        permission="bangban_search.view_zeroresultquery",
    )  # fmt: skip


@hooks.register("register_reports_menu_item")
def register_index_problems_menu_item():
    return PermissionMenuItem(
        _("Search index problems"), reverse("search_index_problems"), icon_name="warning", order=720,
        permission="bangban_search.view_indexoutbox",
    )  # fmt: skip


@hooks.register("register_reports_menu_item")
def register_unopened_menu_item():
    return PermissionMenuItem(
        _("Searches nobody opened"), reverse("search_unopened"), icon_name="search", order=715,
        permission="bangban_search.view_answeredquery",
    )  # fmt: skip
