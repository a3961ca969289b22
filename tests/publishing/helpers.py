"""Building blocks for the publishing tests: a published package without running the renderers."""

import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from publishing.models import Package, PackageFile, Publication

FILES = {PackageFile.Role.COVER: ("cover.png", b"\x89PNG fake cover"), PackageFile.Role.CAPTION: ("caption.txt",
         "如何查询社保缴费记录 #社保".encode())}  # fmt: skip


def publish(tutorial, channel) -> Publication:
    package = Package.objects.create(
        tutorial=tutorial, channel=channel, build_status=Package.BuildStatus.READY, caption="查社保 #社保",
        built_at=timezone.now(),
    )  # fmt: skip
    for role, (name, data) in FILES.items():
        row = PackageFile(package=package, role=role, size=len(data), sha256=hashlib.sha256(data).hexdigest())
        row.file.save(name, ContentFile(data), save=True)
    return Publication.objects.create(
        package=package, channel=channel, published_at=timezone.now(),
        files={row.role: row.sha256 for row in package.files.all()},
    )  # fmt: skip
