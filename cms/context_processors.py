from django.utils import translation
from django.utils.safestring import mark_safe

from .prefs import prefs_from_cookies

# Tutorials, categories and the home page are written in Chinese whatever the interface language.
CONTENT_LANGUAGE = "zh-CN"


def display_prefs(request):
    return {"display": prefs_from_cookies(request.COOKIES)}


def content_language(request):
    """`content_lang`: the attribute that marks Chinese content inside a page whose interface is in another
    language, so screen readers and read-aloud voice it in Chinese; empty on a Chinese page, which says it once."""
    interface = translation.get_language() or ""
    if interface.lower().startswith("zh"):
        return {"content_lang": ""}
    return {"content_lang": mark_safe(f' lang="{CONTENT_LANGUAGE}"')}
