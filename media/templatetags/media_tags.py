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
