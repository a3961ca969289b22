from django.conf import settings
from django.urls import include, path, re_path, register_converter
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import private_files
from cms import views as cms_views
from cms.converters import IdConverter
from media import views as media_views
from search import views as search_views
from tutorials import views as tutorial_views

register_converter(IdConverter, "id")

handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("display/", cms_views.display_preferences, name="display_preferences"),
    path("feedback/step/", tutorial_views.step_feedback, name="step_feedback"),
    path("search/", search_views.search_page, name="search"),
    path("search/open/", search_views.search_open, name="search_open"),
    path("api/search", search_views.search_api, name="search_api"),
    path("learn/", include("training.urls")),
    path("videos/<id:pk>/subtitles.<str:fmt>", media_views.video_subtitles, name="video_subtitles"),
    path("videos/<id:pk>/chapters/<id:page_id>.vtt", media_views.video_chapters, name="video_chapters"),
    path("videos/<id:pk>/phone.mp4", media_views.video_phone, name="video_phone"),
    path("videos/<id:pk>/poster.jpg", media_views.video_poster, name="video_poster"),
    path("videos/<id:pk>/poster-<id:centiseconds>.jpg", media_views.video_chapter_poster, name="video_chapter_poster"),
    # Originals and unpublished files, for signed-in users allowed to see them (always on: it checks permission).
    path("private/<path:name>", private_files.serve_private, name="private_file"),
]

if settings.SERVE_MEDIA:
    # Embedded defaults only; a production site serves var/media (public renditions only) from its web server or
    # object store. Nothing serves PRIVATE_MEDIA_DIR directly.
    from cms.media_serve import serve_media

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_media)]

urlpatterns += [path("", include(wagtail_urls))]
