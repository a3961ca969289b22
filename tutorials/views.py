from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.client import client_address, client_bucket

from .forms import StepFeedbackForm
from .models import TutorialPage
from .services import RateLimited, step_feedback_record


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _error(request: HttpRequest, message: str, status: int, page: TutorialPage | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"ok": False, "error": message}, status=status)
    return render(request, "tutorials/feedback_error.html", {"message": message, "page": page}, status=status)


@require_POST
def step_feedback(request: HttpRequest) -> HttpResponse:
    form = StepFeedbackForm(request.POST)
    if not form.is_valid():
        return _error(request, _("Your answer could not be read. Please try again."), 400)
    page = get_object_or_404(TutorialPage.objects.live().public(), pk=form.cleaned_data["page"])
    step_id = form.cleaned_data["step"]
    try:
        step_feedback_record(
            page=page,
            step_id=step_id,
            helpful=form.cleaned_data["helpful"],
            reason=form.cleaned_data["reason"],
            client=client_bucket(client_address(request)),
        )
    except ValidationError:
        return _error(request, _("This step does not exist on the page."), 400, page)
    except RateLimited:
        return _error(
            request, _("Thank you, we already have many answers from you. Please try again later."), 429, page
        )
    from publishing.visits import channel_for_tag, channel_helpful_count

    tag = form.cleaned_data["ch"]
    helpful = form.cleaned_data["helpful"]
    channel = channel_helpful_count(tutorial_id=page.pk, tag=tag) if helpful else channel_for_tag(tag)
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": _("Thank you for your answer.")})
    number = page.step_number(step_id)
    via = f"&via={channel.slug}" if channel is not None else ""
    return redirect(f"{page.url}?thanks={step_id}{via}#step-{number}")
