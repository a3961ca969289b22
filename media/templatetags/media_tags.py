from django import template

register = template.Library()


@register.filter
def timestamp(seconds) -> str:
    """83.4 -> "01:23"; an hour or more -> "1:02:03"."""
    total = int(float(seconds or 0))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


@register.filter
def whole_seconds(seconds) -> int:
    """For #t= links: the second a cue starts in, so the link never lands after the cue has begun."""
    return int(float(seconds or 0))


@register.simple_tag
def public_subtitles(video):
    """The approved cues of ``video`` and whether they are still machine output, for the citizen's player."""
    from media.selectors import subtitles_machine_made, video_track

    return {"cues": video_track(asset=video).cues, "machine_made": subtitles_machine_made(asset=video)}


@register.filter
def person(user) -> str:
    """A user's real name, else their login; "" for none (speech recognition, the system)."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@register.filter
def seconds(value) -> str:
    """36.43 -> "36.43", 75.0 -> "75": a time for a media fragment or a data attribute (no locale formatting)."""
    if value is None or value == "":
        return ""
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


@register.filter
def centiseconds(value) -> int:
    return round(float(value or 0) * 100)


@register.simple_tag
def step_chapter(page, step_id):
    """The step's chapter of its video (tutorials.chapters.Chapter), or None."""
    chapters = getattr(page, "_step_chapters", None)
    if chapters is None:
        chapters = page.step_chapters() if hasattr(page, "step_chapters") else {}
        page._step_chapters = chapters
    return chapters.get(step_id)


@register.simple_tag
def chapter_transcript(cues, chapter):
    """The cues shown during ``chapter`` as flowing text: each cue's hard line breaks joined, and ``joiner`` the
    space to put before it (none between Chinese sentences)."""
    from tutorials.chapters import flowing_text, in_chapter

    lines = []
    for cue in cues:
        if chapter is not None and not in_chapter(cue.start, cue.end, chapter):
            continue
        text = flowing_text(cue.text)
        joiner = ""
        if lines and not (_wide(lines[-1]["text"][-1:]) or _wide(text[:1])):
            joiner = " "
        lines.append({"start": cue.start, "end": cue.end, "text": text, "joiner": joiner})
    return lines


def _wide(char: str) -> bool:
    import unicodedata

    return bool(char) and unicodedata.east_asian_width(char) in ("W", "F")


# The band below the picture, as a share of the video's width: about 56 px (Chromium's control bar with its
# margin) on a 310 px wide phone player, more on wider ones.
CONTROL_BAND = 0.18
# Box shapes (height / width) in cms/static/cms/css/site.css, "step video": .player__video--h0750 ... --h2500.
PLAYER_SHAPES = [750 + 125 * n for n in range(15)]


@register.filter
def player_shape(video) -> str:
    """The class giving a player box the video's shape plus a band below the picture for the control bar: the
    smallest listed shape at least that tall (a larger band, never a smaller one); "" for an unknown size."""
    if not video.width or not video.height:
        return ""
    needed = (video.height / video.width + CONTROL_BAND) * 1000
    shape = next((shape for shape in PLAYER_SHAPES if shape >= needed), None)
    return f"player__video--h{shape:04d}" if shape else ""
