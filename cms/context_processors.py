from .prefs import prefs_from_cookies


def display_prefs(request):
    return {"display": prefs_from_cookies(request.COOKIES)}
