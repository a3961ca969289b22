"""Certificates on the public site: the holder's downloads, and the public verification page."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from . import certificate_selectors, certificates
from .certificate_services import certificate_files_ensure
from .views import learner_required

CONTENT_TYPES = {"png": "image/png", "pdf": "application/pdf"}


@learner_required
def certificate_file(request: HttpRequest, certificate_id: int, kind: str) -> HttpResponse:
    """The PNG or PDF, to its holder and to managers of the holder's departments; 404 for anyone else."""
    if kind not in CONTENT_TYPES:
        raise Http404
    certificate = certificate_selectors.certificate_for_viewer(user=request.user, certificate_id=certificate_id)
    if certificate is None:
        raise Http404
    if not (certificate.png and certificate.pdf):
        certificate = certificate_files_ensure(certificate_id=certificate.pk)
    field = certificate.png if kind == "png" else certificate.pdf
    response = FileResponse(
        field.open("rb"),
        content_type=CONTENT_TYPES[kind],
        as_attachment=request.GET.get("download") == "1",
        filename=f"certificate-{certificate.printed_code}.{kind}",
    )
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: the masked name, the course, the date, the issuing office, and whether it was revoked. Nothing else."""
    certificate = certificate_selectors.certificate_by_code(code=code)
    if certificate is None:
        response = render(request, "training/verify_unknown.html", {"code": code[:40]}, status=404)
    else:
        context = {
            "masked_name": certificates.mask_name(certificate.full_name),
            "course_title": certificate.course_title,
            "issued_at": certificate.issued_at,
            "office": certificate.office,
            "printed_code": certificate.printed_code,
            "revoked": certificate.revoked,
        }
        response = render(request, "training/verify.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@learner_required
def certificate_page(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = certificate_selectors.certificate_for_viewer(user=request.user, certificate_id=certificate_id)
    if certificate is None:
        raise Http404
    response = render(request, "training/certificate.html", {"certificate": certificate})
    patch_cache_control(response, private=True, no_store=True)
    return response
