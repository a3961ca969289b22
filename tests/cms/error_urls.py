from django.urls import path

from cms.urls import handler404, handler500
from cms.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *site_urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]
