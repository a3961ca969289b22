from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from .models import VideoAsset
from .selectors import video_chapters_track, video_track

CONTENT_TYPES = {
    "vtt": "text/vtt; charset=utf-8",
    "srt": "application/x-subrip; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}


def _ready(pk: int) -> VideoAsset:
    return get_object_or_404(VideoAsset.objects.filter(status=VideoAsset.Status.READY), pk=pk)


def video_subtitles(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The subtitle track (WebVTT or SRT) or plain transcript of a processed video."""
    from .pipeline import subtitles as subtitle_files

    asset = _ready(pk)
    if fmt not in CONTENT_TYPES or asset.subtitles == VideoAsset.Subtitles.NONE:
        raise Http404
    track = video_track(asset=asset)
    if fmt == "vtt":
        body = subtitle_files.to_webvtt(track)
    elif fmt == "srt":
        body = subtitle_files.to_srt(track)
    else:
        body = "\n".join(cue.text.replace("\n", " ") for cue in track.cues) + "\n"
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    if request.GET.get("download"):
        name = slugify(asset.title, allow_unicode=True) or f"video-{asset.pk}"
        response["Content-Disposition"] = content_disposition_header(True, f"{name}.{fmt}")
    return response


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
