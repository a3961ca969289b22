from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import VideoAsset


class VideoAssetViewSet(SnippetViewSet):
    model = VideoAsset
    icon = "media"
    menu_label = _("Videos")
    add_to_admin_menu = True
    menu_order = 220
    list_display = ["title", "created_at"]


register_snippet(VideoAssetViewSet)
