from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import ContentGapsView
from .models import SearchSynonym


class SynonymViewSet(SnippetViewSet):
    model = SearchSynonym
    icon = "resubmit"
    menu_label = _("Search synonyms")
    add_to_settings_menu = True
    list_display = ["terms"]
    search_fields = ["terms"]


register_snippet(SynonymViewSet)


class GapsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("bangban_search.view_zeroresultquery")


@hooks.register("register_admin_urls")
def register_gaps_url():
    return [path("reports/content-gaps/", ContentGapsView.as_view(), name="search_content_gaps")]


@hooks.register("register_reports_menu_item")
def register_gaps_menu_item():
    return GapsMenuItem(_("Searches with no results"), reverse("search_content_gaps"), icon_name="search", order=710)
