from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from media.templatetags.media_tags import timestamp, whole_seconds
from tutorials.models import ServiceCategory

from .services import MAX_QUERY_CHARS, search_citizen


def _category(request: HttpRequest) -> str | None:
    slug = request.GET.get("category", "").strip()[:40]
    return slug or None


def search_page(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("q", "")
    outcome = search_citizen(query=raw, category=_category(request)) if raw.strip() else None
    return render(
        request,
        "search/search_page.html",
        {
            "query": raw[:MAX_QUERY_CHARS],
            "cut": len(raw.strip()) > MAX_QUERY_CHARS,
            "outcome": outcome,
            "categories": ServiceCategory.objects.all(),
            "category": _category(request),
        },
    )


def search_api(request: HttpRequest) -> JsonResponse:
    """GET /api/search?q=…&category=…: results for apps and mini-programs."""
    raw = request.GET.get("q", "")
    if not raw.strip():
        return JsonResponse({"error": _("Type what you want to do, e.g. 查社保."), "results": []}, status=400)
    outcome = search_citizen(query=raw, category=_category(request))
    results = outcome.results
    return JsonResponse(
        {
            "query": results.query,
            "query_cut": len(raw.strip()) > MAX_QUERY_CHARS,
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
