"""Serving stored files with HTTP Range support, which browsers need to seek in a video.

``serve_media`` answers MEDIA_URL on the embedded defaults (a production site serves MEDIA_DIR from its web server);
``serve_stored`` is for views that decide first whether a file may be served (private originals, gated video files).
"""

import mimetypes
import re
from collections.abc import Callable
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import Storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.utils._os import safe_join
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.static import was_modified_since

RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024
# Public renditions keep their name while their content stands (a new upload gets a new name), so phones and
# shared caches may keep them a week and ask again with If-Modified-Since afterwards.
MEDIA_MAX_AGE = 7 * 24 * 60 * 60
# A picture or video opened on its own: the browser styles its viewer inline (fit to screen, tap to zoom), and
# nothing in a stored file may run script.
MEDIA_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'"


def _read(handle: IO[bytes], start: int, length: int):
    with handle:
        handle.seek(start)
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data


def serve_file(request: HttpRequest, *, name: str, size: int, open_file: Callable[[], IO[bytes]]) -> HttpResponse:
    """The whole file, or the byte range the request asks for (206), or 416 for a range past its end."""
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    match = RANGE.match(request.headers.get("Range", "").strip())
    if not match or not (match.group(1) or match.group(2)):
        response = FileResponse(open_file(), content_type=content_type)
        response["Content-Length"] = str(size)
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    else:
        start, end = max(size - int(last), 0), size - 1
    if start >= size or start > end:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    response = StreamingHttpResponse(_read(open_file(), start, end - start + 1), status=206, content_type=content_type)
    response["Content-Length"] = str(end - start + 1)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response


def _serve_path(request: HttpRequest, full: Path) -> HttpResponse:
    if not full.is_file():
        raise Http404
    return serve_file(request, name=full.name, size=full.stat().st_size, open_file=lambda: open(full, "rb"))


def _serve_cached(request: HttpRequest, full: Path) -> HttpResponse:
    """A public file with caching headers; 304 when the copy the browser holds is still current."""
    if not full.is_file():
        raise Http404
    mtime = full.stat().st_mtime
    if not was_modified_since(request.headers.get("If-Modified-Since"), int(mtime)):
        response = HttpResponseNotModified()
    else:
        response = _serve_path(request, full)
    response["Last-Modified"] = http_date(mtime)
    response["Content-Security-Policy"] = MEDIA_CSP
    patch_cache_control(response, public=True, max_age=MEDIA_MAX_AGE)
    return response


def serve_stored(request: HttpRequest, storage: Storage, name: str) -> HttpResponse:
    """A file of ``storage`` by its stored name; 404 when it is not there or the name leaves the storage."""
    if not name:
        raise Http404
    try:
        return _serve_path(request, Path(storage.path(name)))
    except NotImplementedError:
        pass  # a remote storage: read it through the storage API
    except (SuspiciousFileOperation, ValueError) as exc:
        raise Http404 from exc
    try:
        size = storage.size(name)
    except (OSError, SuspiciousFileOperation, ValueError) as exc:
        raise Http404 from exc
    return serve_file(request, name=name, size=size, open_file=lambda: storage.open(name, "rb"))


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))
    except Exception as exc:  # noqa: BLE001 - any path outside MEDIA_ROOT is simply not there
        raise Http404 from exc
    return _serve_cached(request, full)
