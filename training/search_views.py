"""The staff-only search on the learner site: lessons and courses the signed-in learner takes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import staff_index
from .views import learner_required


@learner_required
def staff_search(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors are sent to the learner sign-in page; nothing here is ever shown to them."""
    query = staff_index.clean_query(request.GET.get("q", ""))
    outcome = staff_index.search_for_learner(user=request.user, query=query) if query else None
    return render(request, "training/search.html", {"query": query, "outcome": outcome})
