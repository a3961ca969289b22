"""Writes of the publishing app: asking for a package, building it, publishing it, marking it out of date."""

from __future__ import annotations

import hashlib
import logging
import tempfile
import time
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from media.pipeline.package import render_package
from media.pipeline.types import PipelineError

from .builder import BuildRefused, build_refusal, channel_spec_of, package_spec
from .models import Channel, Package, PackageFile, Publication

logger = logging.getLogger(__name__)

PROGRESS_STEP = 0.01
STAGES = {
    "video": _("Rendering the video"),
    "cover": _("Drawing the cover"),
    "long_image": _("Drawing the long image"),
    "article_html": _("Writing the article"),
    "poster_a4": _("Drawing the A4 poster"),
    "poster_a3": _("Drawing the A3 poster"),
    "caption": _("Writing the caption"),
    "step_image": _("Preparing the step pictures"),
}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def package_create(*, tutorial, channel: Channel, user) -> Package:
    """A new package of ``tutorial`` for ``channel``, queued for building. Refused with a readable reason."""
    refusal = build_refusal(tutorial=tutorial)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        package = Package(tutorial=tutorial, channel=channel, created_by=user, live=False)
        package.save()
        package.save_revision(user=user)
    package_build_enqueue(package_id=package.pk)
    return package


def package_rebuild(*, package: Package, user) -> Package:
    """Build the package again from the tutorial as it is live now; what was approved must be approved again."""
    refusal = build_refusal(tutorial=package.tutorial)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        package = Package.objects.select_for_update().get(pk=package.pk)
        if package.build_status == Package.BuildStatus.BUILDING and not package.build_stalled:
            raise ValidationError(_("This package is being built already."))
        package.build_status, package.build_progress = Package.BuildStatus.QUEUED, 0.0
        package.build_stage, package.failure_reason = "", ""
        package.build_started_at = package.build_heartbeat_at = None
        package.save(update_fields=_BUILD_STATE_FIELDS)
        package.save_revision(user=user)
    package_build_enqueue(package_id=package.pk)
    return package


def package_build_enqueue(*, package_id: int) -> None:
    from .tasks import package_build as package_build_task

    transaction.on_commit(lambda: package_build_task.enqueue(package_id))


# What a (re)build sets when it is queued or claimed.
_BUILD_STATE_FIELDS = [
    "build_status", "build_progress", "build_stage", "failure_reason", "build_started_at", "build_heartbeat_at",
]  # fmt: skip


class BuildSuperseded(Exception):
    """The build's lease was given up (it stalled) and another build took the package over."""


# A worker that reports no new fraction still renews its lease this often while it reports at all.
HEARTBEAT_EVERY = 30.0


def _owned(package_id: int, started):
    """The package row while this build still holds it: a stalled build taken over by another writes nothing."""
    return Package.objects.filter(pk=package_id, build_status=Package.BuildStatus.BUILDING, build_started_at=started)


def _claim(package_id: int) -> tuple[Package | None, object]:
    """(package, lease start) when this worker may build now; (package, None) when there is nothing to do or
    another worker's lease is current; (None, None) when the package is gone."""
    with transaction.atomic():
        package = Package.objects.select_for_update().select_related("tutorial", "channel").filter(pk=package_id)
        package = package.first()
        if package is None:
            return None, None
        tutorial = package.tutorial
        if (
            package.build_status == Package.BuildStatus.READY
            and not package.out_of_date
            and package.tutorial_revision_id == tutorial.live_revision_id
            and package.files.exists()
        ):
            return package, None
        if package.build_status == Package.BuildStatus.BUILDING and not package.build_stalled:
            return package, None
        started = timezone.now()
        package.build_status, package.build_progress = Package.BuildStatus.BUILDING, 0.0
        package.build_stage, package.failure_reason = str(_("Reading the tutorial")), ""
        package.build_started_at = package.build_heartbeat_at = started
        package.save(update_fields=_BUILD_STATE_FIELDS)
    return package, started


def package_build(*, package_id: int) -> Package | None:
    """Render every file of the package's channel into a temporary folder, then store them all in one step.

    Idempotent: a package already built from the tutorial's live revision is left as it is, and one another worker
    is building (its lease current) is left to it. A failure leaves the files of the last good build (or none) and
    a readable reason.
    """
    package, started = _claim(package_id)
    if package is None or started is None:
        return package
    tutorial = package.tutorial
    revision_id = tutorial.live_revision_id
    last = {"fraction": -1.0, "at": time.monotonic()}

    def progress(fraction: float, role: str) -> None:
        now = time.monotonic()
        if fraction - last["fraction"] >= PROGRESS_STEP or fraction >= 1.0 or now - last["at"] >= HEARTBEAT_EVERY:
            last["fraction"], last["at"] = max(fraction, last["fraction"]), now
            _owned(package_id, started).update(
                build_progress=round(min(fraction, 0.99), 3),
                build_stage=str(STAGES[role]),
                build_heartbeat_at=timezone.now(),
            )

    try:
        with tempfile.TemporaryDirectory(prefix="bangban-package-") as name:
            folder = Path(name)
            spec = package_spec(tutorial=tutorial, channel=package.channel, workdir=folder / "inputs")
            rendered = render_package(spec, folder / "out", channel=channel_spec_of(package.channel), progress=progress)
            _owned(package_id, started).update(
                build_stage=str(_("Storing the files")), build_heartbeat_at=timezone.now()
            )
            _store(package=package, rendered=rendered, revision_id=revision_id, started=started)
    except BuildSuperseded:
        logger.info("Package %s: a stalled build finished after another build took it over", package_id)
        package.refresh_from_db()
        return package
    except (BuildRefused, PipelineError, OSError) as error:
        reason = str(error) or error.__class__.__name__
        logger.warning("Package %s failed to build: %s", package_id, reason)
        _owned(package_id, started).update(
            build_status=Package.BuildStatus.FAILED, build_stage="", failure_reason=reason[:2000]
        )
        package.refresh_from_db()
        return package
    package.refresh_from_db()
    package_scan(package=package)
    return package


def _store(*, package: Package, rendered, revision_id: int | None, started) -> None:
    """Save the rendered files under a new folder and swap the rows in one transaction; the old files go after."""
    token = uuid.uuid4().hex[:12]
    saved: list[str] = []
    rows = []
    try:
        made = [(role, 0, path) for role, path in rendered.files.items()]
        made += [(PackageFile.Role.STEP_IMAGE, number, path) for number, path in rendered.step_images.items()]
        for role, step, path in made:
            with open(path, "rb") as handle:
                name = default_storage.save(f"packages/{package.pk}/{token}/{path.name}", File(handle))
            saved.append(name)
            rows.append(
                PackageFile(
                    package=package,
                    role=role,
                    step=step,
                    file=name,
                    size=path.stat().st_size,
                    sha256=sha256_of(path),
                )
            )
        with transaction.atomic():
            current = Package.objects.select_for_update().get(pk=package.pk)
            if current.build_status != Package.BuildStatus.BUILDING or current.build_started_at != started:
                raise BuildSuperseded
            current.files.all().delete()
            PackageFile.objects.bulk_create(rows)
            current.caption, current.article_html = rendered.caption, rendered.article_html
            current.weibo_text, current.tutorial_revision_id = rendered.weibo_text, revision_id
            current.build_status, current.build_progress, current.build_stage = Package.BuildStatus.READY, 1.0, ""
            current.failure_reason, current.out_of_date, current.out_of_date_reason = "", False, ""
            current.out_of_date_code, current.out_of_date_at = "", None
            current.out_of_date_revision_id, current.out_of_date_title = None, ""
            current.built_at = timezone.now()
            current.save(
                update_fields=[
                    "caption", "article_html", "weibo_text", "tutorial_revision", "build_status", "build_progress",
                    "build_stage", "failure_reason", "out_of_date", "out_of_date_reason", "out_of_date_code",
                    "out_of_date_at", "out_of_date_revision", "out_of_date_title", "built_at",
                ]
            )  # fmt: skip
    except BaseException:
        _delete_names(saved)
        raise


def _delete_names(names: list[str]) -> int:
    removed = 0
    for name in names:
        try:
            default_storage.delete(name)
            removed += 1
        except OSError as error:
            logger.warning("A package file could not be removed: %s", error)
    return removed


def package_files_delete(*, names: list[str]) -> int:
    """Remove stored package files no row refers to any more. Idempotent."""
    still_used = set(PackageFile.objects.filter(file__in=names).values_list("file", flat=True))
    return _delete_names([name for name in names if name.startswith("packages/") and name not in still_used])


def package_scan(*, package: Package) -> list:
    """The guard reads the package's text (caption, article, Weibo text) and its pictures (OCR)."""
    from privacy.services import object_scan

    return object_scan(obj=package)


def publication_record(*, package_id: int, user) -> Publication:
    """What went out: the channel, the time, who, and the SHA-256 of every file."""
    package = Package.objects.select_related("channel").get(pk=package_id)
    publication = Publication.objects.create(
        package=package,
        channel=package.channel,
        published_at=timezone.now(),
        published_by=user if user is not None and user.is_authenticated else None,
        scheduled_for=package.go_live_at,
        files={row.key: row.sha256 for row in package.files.all()},
    )
    from .delivery_services import delivery_create  # it imports this module

    delivery_create(publication=publication)
    return publication


def packages_mark_out_of_date(*, tutorial_id: int) -> list[Package]:
    """The tutorial was republished: every package built from an older revision is out of date; its author and the
    Publicity officers are told. Idempotent."""
    from tutorials.models import TutorialPage

    tutorial = TutorialPage.objects.filter(pk=tutorial_id).first()
    if tutorial is None or tutorial.live_revision_id is None:
        return []
    # The reason is kept as data and said in each reader's language when shown (Package.out_of_date_message).
    marked = {
        "out_of_date": True,
        "out_of_date_reason": "",
        "out_of_date_code": Package.OutOfDate.TUTORIAL_REPUBLISHED,
        "out_of_date_at": tutorial.last_published_at or timezone.now(),
        "out_of_date_revision_id": tutorial.live_revision_id,
        "out_of_date_title": tutorial.title[: Package._meta.get_field("out_of_date_title").max_length],
    }
    with transaction.atomic():
        stale = list(
            Package.objects.select_for_update()
            .filter(tutorial_id=tutorial_id, out_of_date=False, build_status=Package.BuildStatus.READY)
            .exclude(tutorial_revision_id=tutorial.live_revision_id)
        )
        for package in stale:
            for name, value in marked.items():
                setattr(package, name, value)
            package.save(update_fields=[name.removesuffix("_id") for name in marked])
    if stale:
        from .notifications import out_of_date_notify

        out_of_date_notify(packages=stale)
    return stale


def package_zip_stream(*, package: Package) -> Iterator[bytes]:
    """A zip of every file of the package, written as it is read (the video can be large)."""
    import io

    class Sink(io.RawIOBase):
        def __init__(self):
            self.chunks: list[bytes] = []
            self.position = 0

        def writable(self) -> bool:
            return True

        def write(self, data) -> int:
            self.chunks.append(bytes(data))
            self.position += len(data)
            return len(data)

        def tell(self) -> int:
            return self.position

        def take(self) -> bytes:
            out, self.chunks = b"".join(self.chunks), []
            return out

    sink = Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for row in package.files.all():
            info = zipfile.ZipInfo(
                Path(row.file.name).name, date_time=timezone.localtime(package.built_at).timetuple()[:6]
            )
            with row.file.open("rb") as source, archive.open(info, "w", force_zip64=True) as target:
                for chunk in iter(lambda s=source: s.read(1 << 20), b""):
                    target.write(chunk)
                    yield sink.take()
        yield sink.take()
        archive.close()
        yield sink.take()
    yield sink.take()


def package_publish(*, package: Package, user) -> None:
    """A superuser's direct publication (everyone else goes through the two-person review)."""
    if not user.is_superuser:
        raise PermissionDenied
    revision = package.get_latest_revision() or package.save_revision(user=user)
    revision.publish(user=user)
