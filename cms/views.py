from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .prefs import MODE_COOKIE, ONE_YEAR, SIZE_COOKIE, next_size, prefs_from_cookies


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.headers.get("Referer") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@require_POST
def display_preferences(request: HttpRequest) -> HttpResponse:
    """Switch elder mode on or off, or step the text size; works as a plain form without JavaScript."""
    prefs = prefs_from_cookies(request.COOKIES)
    mode = request.POST.get("mode")
    size = request.POST.get("size")
    if mode not in (None, "elder", "normal") or size not in (None, "up", "down"):
        return HttpResponseBadRequest("Unknown display preference.")
    response = HttpResponseRedirect(_safe_next(request))
    cookie = {"max_age": ONE_YEAR, "samesite": "Lax", "secure": request.is_secure(), "httponly": True}
    if mode:
        response.set_cookie(MODE_COOKIE, mode, **cookie)
    if size:
        response.set_cookie(SIZE_COOKIE, str(next_size(prefs.font_size, size)), **cookie)
        if not mode:
            response.set_cookie(MODE_COOKIE, "elder", **cookie)
    return response
