from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import parse_seconds
from .models import CUE_TEXT_MAX_LENGTH, VideoAsset

CHANGE = "bangban_media.change_videoasset"
CHANGE_SUBTITLES = "bangban_media.change_subtitletrack"


def can_retry(asset: VideoAsset) -> bool:
    """What services.video_retry accepts: a failed video, or one whose worker stopped renewing its lease."""
    if asset.status == VideoAsset.Status.FAILED:
        return True
    return asset.status == VideoAsset.Status.PROCESSING and (
        asset.lease_until is None or asset.lease_until < timezone.now()
    )


def subtitles_state(asset: VideoAsset) -> tuple[str, str]:
    """(state, label) of a video's subtitles; until the subtitles stage has run, what processing is doing."""
    done = asset.stage_log.get(VideoAsset.Stage.SUBTITLES, {}).get("done")
    if not done:
        if asset.status == VideoAsset.Status.PENDING:
            return "waiting", _("Waiting: speech not yet recognised")
        if asset.status == VideoAsset.Status.PROCESSING:
            return "processing", _("Processing: recognising speech")
        if asset.status == VideoAsset.Status.FAILED:
            return "failed", _("Not made: processing failed")
    return asset.subtitles, str(asset.get_subtitles_display())


def status_payload(asset: VideoAsset) -> dict:
    done = {stage for stage, entry in asset.stage_log.items() if entry.get("done")}
    subtitles, subtitles_label = subtitles_state(asset)
    return {
        "status": asset.status,
        "status_label": asset.get_status_display(),
        "stage": asset.stage,
        "progress": asset.progress_percent,
        "failure_reason": asset.failure_reason,
        "can_retry": can_retry(asset),
        "subtitles": subtitles,
        "subtitles_label": subtitles_label,
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
            errors.append(
                ValidationError(
                    _("Line %(n)s: times must look like 83.5 or 1:23.5."), code="cue", params={"n": index + 1}
                )
            )
    if errors:
        raise ValidationError(errors)
    return sorted(cues, key=lambda cue: cue["start"])


def _review_state(asset: VideoAsset, user) -> dict:
    """What the cue editor says about the working copy and the approved version, and what ``user`` may do."""
    track = selectors.subtitle_track_of(asset=asset)
    state = track.current_workflow_state if track else None
    can_approve = False
    if state is not None and state.status == state.STATUS_IN_PROGRESS and state.current_task_state:
        actions = [name for name, *_rest in state.current_task_state.task.specific.get_actions(track, user)]
        can_approve = "approve" in actions and user.pk not in selectors.subtitles_working_copy_editor_ids(track=track)
    lock = track.get_lock() if track else None
    versions = selectors.subtitle_versions(asset=asset)
    return {
        "track": track,
        "workflow_state": state,
        "has_working_copy": bool(track and (not track.live or track.has_unpublished_changes)),
        "can_approve": can_approve,
        "locked": bool(lock and lock.for_user(user)),
        "latest_version": versions[-1] if versions else None,
        "machine_made": selectors.subtitles_machine_made(asset=asset),
        "snippet_edit_url": reverse("wagtailsnippets_bangban_media_subtitletrack:edit", args=(track.pk,))
        if track
        else "",
    }


@permission_required(CHANGE, raise_exception=True)
@permission_required(CHANGE_SUBTITLES, raise_exception=True)
def video_subtitles_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The cue editor: a working copy of every subtitle line, with the video beside it; a second person approves."""
    asset = get_object_or_404(VideoAsset, pk=pk)
    if asset.status != VideoAsset.Status.READY:
        messages.error(request, _("Subtitles can be edited once the video has been processed."))
        return redirect("video_status", pk=asset.pk)
    rows, error_rows = None, set()
    if request.method == "POST" and "approve" in request.POST:
        try:
            services.subtitles_approve(asset=asset, user=request.user, comment=request.POST.get("comment", ""))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
        else:
            messages.success(request, _("Subtitles approved; citizens now see this version."))
        return redirect("video_subtitles_edit", pk=asset.pk)
    if request.method == "POST":
        submit = "submit" in request.POST
        try:
            cues = _cues_from_post(request)
            services.subtitles_save(asset=asset, cues=cues, user=request.user, submit=submit)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            error_rows = {error.params["n"] for error in exc.error_list if error.params and "n" in error.params}
            rows = list(
                zip(
                    request.POST.getlist("start"),
                    request.POST.getlist("end"),
                    request.POST.getlist("text"),
                    strict=False,
                )
            )
        else:
            if submit:
                messages.success(
                    request, _("Subtitles saved and sent for review. Citizens see them once a second person approves.")
                )
            else:
                messages.success(
                    request, _("Working copy saved. Citizens still see the approved version until it is reviewed.")
                )
            return redirect("video_subtitles_edit", pk=asset.pk)
    if rows is None:
        rows = [(f"{c.start:.2f}", f"{c.end:.2f}", c.text) for c in selectors.video_working_track(asset=asset).cues]
    rows += [("", "", "")] * 3
    context = {
        "asset": asset,
        "rows": [(number in error_rows, *row) for number, row in enumerate(rows, start=1)],
        "error_rows": sorted(error_rows),
        "text_limit": CUE_TEXT_MAX_LENGTH,
        "used_by": selectors.video_used_by(asset=asset),
        **_review_state(asset, request.user),
    }
    return render(request, "media/admin/subtitles_edit.html", context)


@permission_required(CHANGE, raise_exception=True)
def video_subtitles_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The working copy as WebVTT for the reviewer's video (the public files serve the approved version only)."""
    from .pipeline import subtitles as subtitle_files

    asset = get_object_or_404(VideoAsset, pk=pk)
    track = selectors.video_working_track(asset=asset)
    return HttpResponse(subtitle_files.to_webvtt(track), content_type="text/vtt; charset=utf-8")
