"""Reads of the publishing app."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from .files import user_can_view_packages
from .models import Package, PackageFile

KINDS = {
    PackageFile.Role.VIDEO: "video",
    PackageFile.Role.COVER: "image",
    PackageFile.Role.LONG_IMAGE: "image",
    PackageFile.Role.ARTICLE_HTML: "html",
    PackageFile.Role.POSTER_A4: "pdf",
    PackageFile.Role.POSTER_A3: "pdf",
    PackageFile.Role.CAPTION: "text",
    PackageFile.Role.STEP_IMAGE: "image",
}


@dataclass(frozen=True)
class FilePreview:
    role: str
    label: str
    kind: str  # video, image, html, pdf, text
    url: str
    page_url: str
    download_url: str
    size: int
    sha256: str
    text: str


def package_previews(*, package: Package) -> list[FilePreview]:
    previews = []
    for row in package.files.all():
        if row.role == PackageFile.Role.STEP_IMAGE:
            url = reverse("package_step_image", args=[package.pk, row.step])
            label = _("Step %(number)s picture") % {"number": row.step}
        else:
            url = reverse("package_file", args=[package.pk, row.role])
            label = str(row.get_role_display())
        kind = KINDS.get(row.role, "text")
        text = package.caption if row.role == PackageFile.Role.CAPTION else ""
        previews.append(
            FilePreview(
                role=row.role,
                label=label,
                kind=kind,
                url=url,
                page_url=reverse("package_file_page", args=[package.pk, row.role]) if kind == "pdf" else "",
                download_url=url + "?download=1",
                size=row.size,
                sha256=row.sha256,
                text=text,
            )
        )
    return previews


def packages_out_of_date_for(*, user) -> list[Package]:
    """Out-of-date packages the user should hear about: every one for those who may rebuild them."""
    if not user_can_view_packages(user) or not user.has_perm("publishing.change_package"):
        return []
    return list(Package.objects.filter(out_of_date=True).select_related("tutorial", "channel")[:20])
