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
