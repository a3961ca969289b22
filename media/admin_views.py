from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import parse_seconds
from .models import VideoAsset
from .selectors import video_track

CHANGE = "bangban_media.change_videoasset"


def status_payload(asset: VideoAsset) -> dict:
    done = {stage for stage, entry in asset.stage_log.items() if entry.get("done")}
    return {
        "status": asset.status,
        "status_label": asset.get_status_display(),
        "stage": asset.stage,
        "progress": asset.progress_percent,
        "failure_reason": asset.failure_reason,
        "subtitles": asset.subtitles,
        "stages": [
            {
                "name": stage.value,
                "label": str(stage.label),
                "done": stage.value in done,
                "running": asset.status == VideoAsset.Status.PROCESSING and asset.stage == stage.value,
                "seconds": asset.stage_log.get(stage.value, {}).get("seconds"),
                "note": asset.stage_log.get(stage.value, {}).get("note", ""),
            }
            for stage in services.STAGES
        ],
    }


@permission_required(CHANGE, raise_exception=True)
def video_status(request: HttpRequest, pk: int) -> HttpResponse:
    asset = get_object_or_404(VideoAsset, pk=pk)
    if request.GET.get("format") == "json":
        return JsonResponse(status_payload(asset))
    return render(request, "media/admin/status.html", {"asset": asset, "payload": status_payload(asset)})


@require_POST
@permission_required(CHANGE, raise_exception=True)
def video_retry(request: HttpRequest, pk: int) -> HttpResponse:
    asset = get_object_or_404(VideoAsset, pk=pk)
    try:
        services.video_retry(asset=asset)
        messages.success(request, _("“%(title)s” is queued again; finished stages are kept.") % {"title": asset})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("video_status", pk=asset.pk)


def _cues_from_post(request: HttpRequest) -> list[dict]:
    starts, ends, texts = (request.POST.getlist(name) for name in ("start", "end", "text"))
    deleted = set(request.POST.getlist("delete"))
    cues, errors = [], []
    for index, (start, end, text) in enumerate(zip(starts, ends, texts, strict=False)):
        if str(index) in deleted or not (start.strip() or end.strip() or text.strip()):
            continue
        try:
            cues.append(
                {
                    "start": parse_seconds(start),
                    "end": parse_seconds(end),
                    "text": text.replace("\r", ""),
                    "row": index + 1,  # as numbered in the form, for error messages
                }
            )
        except ValueError:
            errors.append(_("Line %(n)s: times must look like 83.5 or 1:23.5.") % {"n": index + 1})
    if errors:
        raise ValidationError(errors)
    return sorted(cues, key=lambda cue: cue["start"])


@permission_required(CHANGE, raise_exception=True)
def video_subtitles_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The cue editor: text and timing of every subtitle line, with the video beside it."""
    asset = get_object_or_404(VideoAsset, pk=pk)
    if asset.status != VideoAsset.Status.READY:
        messages.error(request, _("Subtitles can be edited once the video has been processed."))
        return redirect("video_status", pk=asset.pk)
    rows = None
    if request.method == "POST":
        approve = "approve" in request.POST
        try:
            cues = _cues_from_post(request)
            services.cues_replace(asset=asset, cues=cues, user=request.user, approve=approve)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            rows = list(
                zip(
                    request.POST.getlist("start"),
                    request.POST.getlist("end"),
                    request.POST.getlist("text"),
                    strict=False,
                )
            )
        else:
            if approve:
                messages.success(request, _("Subtitles saved and approved; they are shown to citizens."))
            else:
                messages.success(request, _("Subtitles saved. They still need approval before the page can go live."))
            return redirect("video_subtitles_edit", pk=asset.pk)
    if rows is None:
        rows = [(f"{c.start:.2f}", f"{c.end:.2f}", c.text) for c in asset.cues.all()]
    rows += [("", "", "")] * 3
    return render(request, "media/admin/subtitles_edit.html", {"asset": asset, "rows": rows})


@permission_required(CHANGE, raise_exception=True)
def video_subtitles_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The current cues as WebVTT for the editor's video, approved or not."""
    from .pipeline import subtitles as subtitle_files

    asset = get_object_or_404(VideoAsset, pk=pk)
    return HttpResponse(subtitle_files.to_webvtt(video_track(asset=asset)), content_type="text/vtt; charset=utf-8")
