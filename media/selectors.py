from .models import VideoAsset
from .pipeline import types


def video_track(*, asset: VideoAsset) -> types.SubtitleTrack:
    return types.SubtitleTrack(
        language=asset.language,
        cues=tuple(types.Cue(start=c.start, end=c.end, text=c.text) for c in asset.cues.all()),
    )


def video_chapters_track(*, chapters: list[tuple[float, str]], duration: float) -> types.SubtitleTrack:
    cues = []
    for index, (start, title) in enumerate(chapters):
        end = chapters[index + 1][0] if index + 1 < len(chapters) else duration
        if end > start:
            cues.append(types.Cue(start=start, end=end, text=title))
    return types.SubtitleTrack(language="", cues=tuple(cues))
