import math

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from cms.media_serve import serve_stored
from tutorials.chapters import Chapter

from .files import video_for_request
from .models import VideoAsset
from .selectors import video_chapter_track, video_chapters_track, video_track

CONTENT_TYPES = {
    "vtt": "text/vtt; charset=utf-8",
    "srt": "application/x-subrip; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}

GATED_MAX_AGE = 300


def _ready(pk: int) -> VideoAsset:
    return get_object_or_404(VideoAsset.objects.filter(status=VideoAsset.Status.READY), pk=pk)


def _gated(request: HttpRequest, pk: int) -> tuple[VideoAsset, bool]:
    """A processed video that a live public tutorial uses, or any processed video for staff who may see videos;
    and whether it is public."""
    asset, public = video_for_request(user=request.user, pk=pk)
    if asset is None or asset.status != VideoAsset.Status.READY:
        raise Http404
    return asset, public


def _gated_file(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    asset, public = video_for_request(user=request.user, pk=pk)
    if asset is None:
        raise Http404
    stored = getattr(asset, field)
    return _cached(serve_stored(request, stored.storage, stored.name), public=public)


def _cached(response: HttpResponse, *, public: bool) -> HttpResponse:
    if public:
        # Public while a live tutorial uses the video: caches may keep it for minutes, not longer, so taking the
        # tutorial down (or a new approved subtitle version under the same URL) reaches phones soon.
        patch_cache_control(response, public=True, max_age=GATED_MAX_AGE)
    else:
        # A staff preview of a video that is not public yet: no shared cache may keep it.
        patch_cache_control(response, private=True)
    return response


def video_phone(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone version of a video, with Range support for seeking."""
    return _gated_file(request, pk, "rendition")


def video_poster(request: HttpRequest, pk: int) -> HttpResponse:
    return _gated_file(request, pk, "poster")


def video_chapter_poster(request: HttpRequest, pk: int, centiseconds: int) -> HttpResponse:
    """The poster frame of the chapter starting at ``centiseconds``/100 s; the video's own poster until a task has
    made it."""
    from .services import chapter_poster_name

    asset, public = video_for_request(user=request.user, pk=pk)
    if asset is None:
        raise Http404
    storage = asset.poster.field.storage
    name = chapter_poster_name(asset_id=asset.pk, start=centiseconds / 100)
    if not storage.exists(name):
        return _gated_file(request, pk, "poster")
    return _cached(serve_stored(request, storage, name), public=public)


def video_subtitles(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The subtitle track (WebVTT or SRT) or plain transcript of a processed video."""
    from .pipeline import subtitles as subtitle_files

    asset, public = _gated(request, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    # Only the approved version is public; a working copy under review is for the admin's preview.
    track = video_track(asset=asset)
    if not track.cues:
        raise Http404
    if "start" in request.GET or "end" in request.GET:
        try:
            chapter = _chapter_from(request.GET)
        except ValueError as exc:
            return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
        track = video_chapter_track(track=track, chapter=chapter)
    if fmt == "vtt":
        body = subtitle_files.to_webvtt(track)
    elif fmt == "srt":
        body = subtitle_files.to_srt(track)
    else:
        body = "\n".join(cue.text.replace("\n", " ") for cue in track.cues) + "\n"
    response = _cached(HttpResponse(body, content_type=CONTENT_TYPES[fmt]), public=public)
    if request.GET.get("download"):
        name = slugify(asset.title, allow_unicode=True) or f"video-{asset.pk}"
        response["Content-Disposition"] = content_disposition_header(True, f"{name}.{fmt}")
    return response


def _chapter_from(params) -> Chapter:
    """?start=36.43&end=75.16 (seconds; end optional): one step's part of the video."""
    values = {}
    for name in ("start", "end"):
        raw = params.get(name, "").strip()
        if not raw:
            values[name] = None
            continue
        try:
            number = float(raw)
        except ValueError:
            number = -1.0
        if not math.isfinite(number) or number < 0:
            raise ValueError(f"{name} must be a number of seconds, e.g. 36.43.")
        values[name] = number
    start, end = values["start"] or 0.0, values["end"]
    if end is not None and end <= start:
        raise ValueError("end must come after start.")
    return Chapter(start=start, end=end)


def video_chapters(request: HttpRequest, pk: int, page_id: int) -> HttpResponse:
    """Chapters for a video from the steps of the tutorial that shows it."""
    from tutorials.models import TutorialPage

    from .pipeline import subtitles as subtitle_files

    asset = _ready(pk)
    page = get_object_or_404(TutorialPage.objects.live().public(), pk=page_id)
    chapters = page.video_chapters(asset)
    if not chapters:
        raise Http404
    track = video_chapters_track(chapters=chapters, duration=asset.duration or chapters[-1][0] + 1)
    return HttpResponse(subtitle_files.to_webvtt(track), content_type=CONTENT_TYPES["vtt"])
