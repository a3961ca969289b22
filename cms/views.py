from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, HttpResponseServerError
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
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


def login_locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What django-axes shows after too many failed logins: when to try again, in the visitor's language."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    context = {"retry_at": timezone.localtime(timezone.now() + cool_off) if cool_off else None}
    if cool_off:
        context["minutes"] = max(1, round(cool_off.total_seconds() / 60))
    return render(request, "cms/locked_out.html", context, status=429)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page. It must render when the database is what failed: no user, session, messages or settings
    lookups, only the cookies and the language of the request."""
    try:
        context = {
            "request": request,
            "display": prefs_from_cookies(request.COOKIES),
            "csrf_token": get_token(request),
        }
        return HttpResponseServerError(loader.get_template("500.html").render(context))
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        return HttpResponseServerError("<h1>Server error (500)</h1>", content_type="text/html")
