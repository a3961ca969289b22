"""Government service hotlines (12345, 12333, ... the 123xx numbers) in content become tap-to-call links."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

# Five digits starting 123, standing alone: not part of a longer number, a plate (A12345) or a code.
HOTLINE = re.compile(r"(?<![0-9A-Za-z])(123\d\d)(?![0-9A-Za-z])")


@register.filter(is_safe=True)
def hotlines(value) -> str:
    """The text (escaped unless already safe) with each hotline number a `tel:` link."""
    html = str(conditional_escape(value))
    return mark_safe(HOTLINE.sub(r'<a class="tel-link" href="tel:\1">\1</a>', html))
