"""Counting channel visits where tutorial pages are served, and the per-tutorial visits screen in the admin."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button

from .visits import CHANNEL_PARAM, VIA_PARAM, channel_for_tag, channel_visit_record
from .visits_views import ChannelVisitsReportView, tutorial_channel_visits


# Inside Wagtail's view-restriction check (order 0, the outer wrapper), so a page the visitor may not see counts
# nothing; and only a page actually served (200) counts.
@hooks.register("on_serve_page", order=100)
def count_channel_visit(callback):
    def inner(page, request, serve_args, serve_kwargs):
        """A tutorial reached through a channel's tagged link counts one visit; its feedback forms then carry the
        channel (``request.arrival_channel``). Nothing is set on the response."""
        from tutorials.models import TutorialPage

        if request.method != "GET" or not isinstance(page.specific_deferred, TutorialPage):
            return callback(page, request, serve_args, serve_kwargs)
        tag = request.GET.get(CHANNEL_PARAM)
        channel = channel_for_tag(tag or request.GET.get(VIA_PARAM))
        request.arrival_channel = channel.slug if channel is not None else ""
        response = callback(page, request, serve_args, serve_kwargs)
        if tag and channel is not None and response.status_code == 200:
            channel_visit_record(tutorial_id=page.pk, channel_id=channel.pk)
        return response

    return inner


@hooks.register("register_admin_urls")
def register_visit_urls():
    return [
        path("publishing/visits/<int:page_id>/", tutorial_channel_visits, name="publishing_tutorial_visits"),
        path("reports/channel-visits/", ChannelVisitsReportView.as_view(), name="publishing_visits_report"),
        path(
            "reports/channel-visits/results/",
            ChannelVisitsReportView.as_view(results_only=True),
            name="publishing_visits_report_results",
        ),
    ]


class VisitsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("publishing.view_channelvisit")


@hooks.register("register_reports_menu_item")
def register_visits_menu_item():
    return VisitsMenuItem(_("Visits by channel"), reverse("publishing_visits_report"), icon_name="view", order=730)


@hooks.register("register_page_header_buttons")
def channel_visits_button(page, user, view_name, next_url=None):
    from tutorials.models import TutorialPage

    if isinstance(page.specific_deferred, TutorialPage) and user.has_perm("publishing.view_channelvisit"):
        yield Button(
            _("Visits by channel"),
            reverse("publishing_tutorial_visits", args=(page.pk,)),
            icon_name="view",
            priority=85,
        )
