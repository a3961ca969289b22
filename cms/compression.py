"""Gzip for pages and JSON only: the HTML of a tutorial shrinks to about a quarter on a slow network.

Files (videos with range requests, zips, pictures) pass through untouched: they are compressed already, and a
gzipped 206 answer would no longer match the byte range a player asked for. Django's GZipMiddleware adds random
bytes to the gzip header against BREACH on pages that carry a CSRF token.
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = ("text/html", "application/json", "text/vtt", "text/plain", "image/svg+xml")


class PageGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type not in COMPRESSIBLE or response.status_code == 206:
            return response
        return super().process_response(request, response)
