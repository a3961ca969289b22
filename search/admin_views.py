from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from .models import ZeroResultQuery


class ContentGapsView(PermissionRequiredMixin, TemplateView):
    """What citizens searched for and did not find: the tutorials to write next."""

    permission_required = "bangban_search.view_zeroresultquery"
    template_name = "search/admin/content_gaps.html"
    raise_exception = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["header_title"] = _("Searches with no results")
        queries = list(ZeroResultQuery.objects.all()[:200])
        context["queries"] = queries
        context["most"] = max((q.count for q in queries), default=1)
        return context
