from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .forms import VideoAssetForm
from .models import GlossaryTerm, VideoAsset


class VideoStatusPanel(Panel):
    """Where processing has got to, shown on the video's edit page."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "media/admin/status_panel.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["asset"] = self.instance
            context["payload"] = admin_views.status_payload(self.instance)
            return context


class StatusColumn(Column):
    def get_value(self, instance):
        return format_html(
            '<a href="{}">{}</a> <progress max="100" value="{}" aria-label="{}">{}%</progress>',
            reverse("video_status", args=(instance.pk,)),
            instance.get_status_display(),
            instance.progress_percent,
            _("Progress"),
            instance.progress_percent,
        )


class VideoAssetViewSet(SnippetViewSet):
    model = VideoAsset
    icon = "media"
    menu_label = _("Videos")
    add_to_admin_menu = True
    menu_order = 220
    list_display = ["title", StatusColumn("status", label=_("Status")), "subtitles", "created_at"]
    list_filter = ["status", "subtitles", "language"]
    search_fields = ["title"]

    edit_handler = ObjectList(
        [FieldPanel("title"), FieldPanel("language"), FieldPanel("file"), VideoStatusPanel()],
        base_form_class=VideoAssetForm,
    )


class GlossaryViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "doc-full"
    menu_label = _("Speech glossary")
    add_to_settings_menu = True
    list_display = ["term", "misheard_as"]
    search_fields = ["term", "misheard_as"]


register_snippet(VideoAssetViewSet)
register_snippet(GlossaryViewSet)


@hooks.register("register_admin_urls")
def register_video_admin_urls():
    return [
        path("videos/<int:pk>/status/", admin_views.video_status, name="video_status"),
        path("videos/<int:pk>/retry/", admin_views.video_retry, name="video_retry"),
        path("videos/<int:pk>/subtitles/", admin_views.video_subtitles_edit, name="video_subtitles_edit"),
        path("videos/<int:pk>/subtitles.vtt", admin_views.video_subtitles_preview, name="video_subtitles_preview"),
    ]
