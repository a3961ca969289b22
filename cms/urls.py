from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from media import views as media_views
from search import views as search_views
from tutorials import views as tutorial_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("display/", cms_views.display_preferences, name="display_preferences"),
    path("feedback/step/", tutorial_views.step_feedback, name="step_feedback"),
    path("search/", search_views.search_page, name="search"),
    path("api/search", search_views.search_api, name="search_api"),
    path("videos/<int:pk>/subtitles.<str:fmt>", media_views.video_subtitles, name="video_subtitles"),
    path("videos/<int:pk>/chapters/<int:page_id>.vtt", media_views.video_chapters, name="video_chapters"),
]

if settings.SERVE_MEDIA:
    # Embedded defaults only; a production site serves var/media from its web server or object store.
    from cms.media_serve import serve_media

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_media)]

urlpatterns += [path("", include(wagtail_urls))]
