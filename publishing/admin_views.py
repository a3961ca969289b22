"""Admin views of channel packages: build status (JSON), the files (permission-checked), a zip, rebuild."""

from __future__ import annotations

import io
import re
from pathlib import Path

from csp.decorators import csp_exempt
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.media_serve import serve_stored
from media.pipeline.step_images import step_image_name

from . import services
from .files import user_can_view_packages
from .models import Package, PackageFile

CONTENT_TYPES = {
    ".mp4": "video/mp4",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".txt": "text/plain; charset=utf-8",
}
# The article is pasted into the WeChat editor, so it carries inline styles; shown here in a sandboxed frame that
# may run nothing and load only this site's pictures. It keeps the site's origin (never scripts): from an opaque
# origin the browser would load the step pictures without the session cookie, and the gated views refuse that.
ARTICLE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'; "
    "sandbox allow-same-origin"
)
_IMG_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)(")')


def _package(request: HttpRequest, pk: int) -> Package:
    if not user_can_view_packages(request.user):
        raise PermissionDenied
    return get_object_or_404(Package.objects.select_related("tutorial", "channel"), pk=pk)


def status_payload(package: Package) -> dict:
    stalled = package.build_stalled
    return {
        "status": package.shown_build_status,
        "status_label": package.shown_build_status_label(),
        "progress": package.progress_percent,
        "stage": "" if stalled else package.build_stage,
        "failure_reason": package.shown_failure_reason,
        "out_of_date": package.out_of_date,
        "out_of_date_reason": package.out_of_date_message(),
    }


def package_status(request: HttpRequest, pk: int) -> JsonResponse:
    response = JsonResponse(status_payload(_package(request, pk)))
    patch_cache_control(response, no_store=True)
    return response


def _file(request: HttpRequest, pk: int, role: str, step: int = 0) -> PackageFile:
    package = _package(request, pk)
    row = package.files.filter(role=role, step=step).first()
    if row is None:
        raise Http404
    return row


def package_file(request: HttpRequest, pk: int, role: str) -> HttpResponse:
    row = _file(request, pk, role)
    if role == PackageFile.Role.ARTICLE_HTML:
        return _article(request, row)
    return _serve(request, row)


def package_step_image(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    return _serve(request, _file(request, pk, PackageFile.Role.STEP_IMAGE, step))


def _serve(request: HttpRequest, row: PackageFile) -> HttpResponse:
    response = serve_stored(request, row.file.storage, row.file.name)
    suffix = Path(row.file.name).suffix.lower()
    if suffix in CONTENT_TYPES and response.status_code in (200, 206):
        response["Content-Type"] = CONTENT_TYPES[suffix]
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{Path(row.file.name).name}"'
    patch_cache_control(response, private=True)
    return response


def article_with_preview_images(request: HttpRequest, *, package_id: int, html: str) -> str:
    """The article as stored names its pictures ``step-01.jpg`` … (the files beside it in the zip); here they become
    the full addresses of the same package's pictures, so the preview shows them and a copy pasted from it keeps
    them."""
    steps = PackageFile.objects.filter(package_id=package_id, role=PackageFile.Role.STEP_IMAGE)
    addresses = {
        step_image_name(step): request.build_absolute_uri(reverse("package_step_image", args=[package_id, step]))
        for step in steps.values_list("step", flat=True)
    }

    def address(match: re.Match) -> str:
        return match.group(1) + addresses.get(match.group(2), match.group(2)) + match.group(3)

    return _IMG_SRC.sub(address, html)


@csp_exempt()
def _article(request: HttpRequest, row: PackageFile) -> HttpResponse:
    with row.file.open("rb") as handle:
        body = article_with_preview_images(
            request, package_id=row.package_id, html=handle.read().decode("utf-8")
        ).encode("utf-8")
    page = b'<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"></head><body>' + body + b"</body></html>"
    response = HttpResponse(page, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = ARTICLE_POLICY
    patch_cache_control(response, private=True)
    return response


def package_file_page(request: HttpRequest, pk: int, role: str) -> HttpResponse:
    """A PDF poster's page as a picture, for the preview."""
    from media.pipeline.poster_pdf import page_jpeg
    from media.pipeline.types import PipelineError

    row = _file(request, pk, role)
    if not row.file.name.endswith(".pdf"):
        raise Http404
    with row.file.open("rb") as handle:
        data = handle.read()
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            picture = page_jpeg(Path(tmp.name))
        except PipelineError as error:
            raise Http404 from error
    response = FileResponse(io.BytesIO(picture), content_type="image/jpeg")
    patch_cache_control(response, private=True)
    return response


def package_zip(request: HttpRequest, pk: int) -> HttpResponse:
    package = _package(request, pk)
    if not package.files.exists():
        messages.error(request, _("This package has no files yet."))
        return redirect("wagtailsnippets_publishing_package:edit", pk)
    response = StreamingHttpResponse(services.package_zip_stream(package=package), content_type="application/zip")
    name = f"package-{package.pk}-{package.channel.slug}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    patch_cache_control(response, private=True)
    return response


@require_POST
def package_rebuild(request: HttpRequest, pk: int) -> HttpResponse:
    package = _package(request, pk)
    if not request.user.has_perm("publishing.change_package"):
        raise PermissionDenied
    try:
        services.package_rebuild(package=package, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The package is being built again."))
    return redirect("wagtailsnippets_publishing_package:edit", pk)
