from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cms.client import client_address, client_bucket
from media.templatetags.media_tags import timestamp, whole_seconds
from tutorials.models import ServiceCategory

from .es.queries import MAX_QUERY_CHARS, clean_query, normalize_query
from .services import query_key, result_open_record, search_citizen


def _category(request: HttpRequest) -> str | None:
    slug = normalize_query(request.GET.get("category", ""))[:40]
    return slug or None


def _search(request: HttpRequest, raw: str, *, track_opens: bool = False):
    client = client_bucket(client_address(request))
    return search_citizen(query=raw, category=_category(request), client_address=client, track_opens=track_opens)


def _cut(raw: str) -> bool:
    return len(clean_query(raw)) > MAX_QUERY_CHARS


def search_page(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("q", "")
    # What is shown back (title, search box) is the query as searched: no NUL or other control characters.
    query = normalize_query(raw)
    outcome = _search(request, raw, track_opens=True) if query else None
    return render(
        request,
        "search/search_page.html",
        {
            "query": query,
            # Result links carry the query as it is counted (no personal numbers) to search_open.
            "open_query": query_key(raw) if outcome else "",
            "cut": _cut(raw),
            "outcome": outcome,
            "categories": ServiceCategory.objects.all(),
            "category": _category(request),
        },
    )


def _local_path(target: str) -> bool:
    return target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None)


def search_open(request: HttpRequest) -> HttpResponse:
    """GET /search/open/?q=…&to=/path: a result link from the search page. Counts the open for the editors'
    "searches nobody opened" report, then sends the citizen on; works without JavaScript."""
    target = request.GET.get("to", "")
    if not _local_path(target):
        return HttpResponseBadRequest(_("This link does not lead to a page of this site."), content_type="text/plain")
    result_open_record(query=request.GET.get("q", ""), client_address=client_bucket(client_address(request)))
    response = HttpResponseRedirect(target)
    response["Cache-Control"] = "no-store"
    return response


def search_api(request: HttpRequest) -> JsonResponse:
    """GET /api/search?q=…&category=…: results for apps and mini-programs."""
    raw = request.GET.get("q", "")
    if not normalize_query(raw):
        return JsonResponse({"error": _("Type what you want to do, e.g. 查社保."), "results": []}, status=400)
    outcome = _search(request, raw)
    results = outcome.results
    return JsonResponse(
        {
            "query": results.query,
            "query_cut": _cut(raw),
            "reduced_mode": outcome.reduced,
            "total": results.total,
            "suggestion": results.suggestion,
            "results": [
                {
                    "title": hit.title,
                    "url": request.build_absolute_uri(hit.url) if hit.url else "",
                    "category": hit.category_name,
                    "highlights": hit.highlights,
                    "spoken": [
                        {
                            "at": timestamp(spoken.start),
                            "start": spoken.start,
                            "text": spoken.text_highlight,
                            "url": request.build_absolute_uri(
                                f"{hit.url}#t={whole_seconds(spoken.start)}&v={spoken.video_id}"
                            ),
                        }
                        for spoken in hit.spoken
                    ],
                }
                for hit in results.hits
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
