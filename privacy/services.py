"""Writes of the guard: scans that replace an object's open findings, masks and overrides.

Guarding another model (a training course, a publicity package, any snippet under the two-person workflow):

1. Declare what the guard reads, with methods on the model (each optional):

   - ``privacy_text_places(self)`` yields ``privacy.selectors.TextPlace(field, text)``, one per text field
     (``TextPlace("caption", self.caption)``); a field name shows in the panel and in messages as it is, unless
     ``privacy.selectors.FIELD_LABELS`` has a label for it.
   - ``privacy_file_places(self)`` yields ``privacy.selectors.FilePlace(field, file, video=False)`` for each file
     to read by OCR (``FilePlace("cover", self.cover)``, ``FilePlace("video", self.video_file, video=True)``).
   - ``privacy_dependents(self)`` returns the pictures, videos and other guarded objects it shows (a course's
     tutorials): their findings and unfinished scans stop it too.

2. Scan it on save: call ``scan_request(obj=obj)`` in the service that saves it (or a ``post_save`` receiver;
   receivers only enqueue). When the transaction commits, its file scans are marked waiting and the
   ``privacy.tasks.scan_object`` task runs ``object_scan`` on its latest revision: text first, then every file.

3. Block it: ``def privacy_blocking_message(self): return privacy.selectors.privacy_blocking_message(obj=self)``.
   ``cms.models.TwoPersonApprovalTask`` offers no approval while it returns a message; a publish path of one's own
   raises ``ValidationError(message)``. The message lists each open finding (text is read again at that moment)
   and says when a scan of its files or dependents is still running.

Overrides (``finding_override``) and the findings panel work on any object's findings as they do on a tutorial's.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.private_files import delete_unheld

from .models import Finding, ImageMask, Scan, Source
from .selectors import FilePlace, TextPlace, file_places_for, text_places_for

logger = logging.getLogger(__name__)

OVERRIDE_ACTION = "privacy.override"
MASK_ACTION = "privacy.mask"
OVERRIDE_PERMISSION = "privacy.override_finding"
MASK_PADDING = 6


def scan_key() -> bytes:
    """The key of the findings' digests: the same number gives the same digest on every machine of one site, and
    the digest cannot be checked against guessed numbers without the site's secret."""
    return hashlib.sha256(b"bangban-privacy:" + settings.SECRET_KEY.encode()).digest()


@dataclass(frozen=True)
class Seen:
    source: str
    field: str
    kind: str
    masked: str
    fingerprint: str
    step_id: str = ""
    box: list[int] | None = None
    start: float | None = None
    end: float | None = None

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.source, self.field, self.step_id, self.fingerprint)


def text_findings(*, places: Iterable[TextPlace]):
    from privacy.detect import find_numbers

    key = scan_key()
    for place in places:
        if place.text:
            for found in find_numbers(place.text, key=key):
                yield place, found


def _text_seen(places: Iterable[TextPlace]) -> list[Seen]:
    return [
        Seen(
            source=Source.TEXT,
            field=place.field,
            step_id=place.step_id,
            kind=str(found.kind),
            masked=found.masked,
            fingerprint=found.fingerprint,
            start=place.start,
        )
        for place, found in text_findings(places=places)
    ]


def _content_type(obj) -> ContentType:
    return ContentType.objects.get_for_model(obj)


def findings_replace(*, obj, sources: Iterable[str], seen: list[Seen]) -> list[Finding]:
    """Make ``obj``'s findings of these sources what a scan has just seen, and return the open ones.

    Idempotent: open findings no longer seen go, a number an override covers stays overridden, a masked one seen
    again opens again, and a masked one not seen again stays as the record of the mask.
    """
    content_type = _content_type(obj)
    sources = list(sources)
    with transaction.atomic():
        existing = list(
            Finding.objects.select_for_update()
            .filter(content_type=content_type, object_id=obj.pk, source__in=sources)
            .order_by("pk")
        )
        pool: dict[tuple, list[Finding]] = {}
        for finding in existing:
            pool.setdefault(finding.key, []).append(finding)
        kept: set[int] = set()
        created = []
        for item in seen:
            candidates = [f for f in pool.get(item.key, []) if f.pk not in kept]
            match = next((f for f in candidates if f.status == Finding.Status.OVERRIDDEN), None)
            match = match or next((f for f in candidates if f.status == Finding.Status.OPEN), None)
            match = match or next((f for f in candidates if f.status == Finding.Status.MASKED), None)
            if match is None:
                created.append(
                    Finding(
                        content_type=content_type,
                        object_id=obj.pk,
                        source=item.source,
                        field=item.field,
                        step_id=item.step_id,
                        box=item.box,
                        start=item.start,
                        end=item.end,
                        kind=item.kind,
                        masked=item.masked,
                        fingerprint=item.fingerprint,
                    )
                )
                continue
            kept.add(match.pk)
            if match.status == Finding.Status.MASKED:
                match.status, match.decided_by, match.decided_at = Finding.Status.OPEN, None, None
            match.box, match.start, match.end = item.box, item.start, item.end
            match.save(update_fields=["status", "decided_by", "decided_at", "box", "start", "end"])
        gone = [f.pk for f in existing if f.pk not in kept and f.status == Finding.Status.OPEN]
        Finding.objects.filter(pk__in=gone).delete()
        Finding.objects.bulk_create(created)
    return list(
        Finding.objects.filter(
            content_type=content_type, object_id=obj.pk, source__in=sources, status=Finding.Status.OPEN
        )
    )


def _scan_state(obj, source: str, **values) -> None:
    Scan.objects.update_or_create(content_type=_content_type(obj), object_id=obj.pk, source=source, defaults=values)


def text_scan(*, obj, places: Iterable[TextPlace] | None = None) -> list[Finding]:
    """Scan the text of any object (a tutorial revision, a picture's title, a video's subtitles, or the places a
    caller gives) and replace its open text findings."""
    places = list(places) if places is not None else text_places_for(obj)
    findings = findings_replace(obj=obj, sources=[Source.TEXT], seen=_text_seen(places))
    _scan_state(obj, Source.TEXT, status=Scan.Status.DONE, progress=1.0, error="")
    return findings


def local_path(field, workdir: Path) -> Path:
    try:
        return Path(field.path)
    except NotImplementedError:
        local = workdir / Path(field.name).name
        with field.open("rb") as source:
            local.write_bytes(source.read())
        return local


def image_scan(*, image_id: int) -> list[Finding]:
    """OCR of one picture, and its title and file name."""
    import tempfile

    from wagtail.images import get_image_model

    from privacy.detect.ocr import find_in_image

    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return []
    text_scan(obj=image)
    _scan_state(image, Source.IMAGE, status=Scan.Status.RUNNING, progress=0.0, error="")

    def detect():
        with tempfile.TemporaryDirectory(prefix="bangban-pii-image-") as workdir:
            return find_in_image(local_path(image.file, Path(workdir)), key=scan_key())

    found = _detected(image, Source.IMAGE, detect=detect, what="Picture")
    if found is None:
        return []
    seen = [
        Seen(
            source=Source.IMAGE,
            field="picture",
            kind=str(item.kind),
            masked=item.masked,
            fingerprint=item.fingerprint,
            box=item.box.as_list(),
        )
        for item in found
    ]
    findings = findings_replace(obj=image, sources=[Source.IMAGE], seen=seen)
    _scan_state(image, Source.IMAGE, status=Scan.Status.DONE, progress=1.0, error="")
    return findings + findings_open_text(image)


def _detected(obj, source: str, *, detect: Callable[[], list], what: str) -> list | None:
    """What ``detect`` found, or None when the file could not be read (the scan is marked failed with the reason)."""
    from privacy.detect import DetectError

    try:
        return detect()
    except (DetectError, OSError) as error:
        _scan_state(obj, source, status=Scan.Status.FAILED, error=str(error))
        logger.warning("%s %s could not be scanned: %s", what, obj.pk, error)
        return None
    except Exception:
        _scan_state(obj, source, status=Scan.Status.FAILED, error=_("The scan stopped unexpectedly."))
        raise  # a scan left "running" would block publishing for good


def findings_open_text(obj) -> list[Finding]:
    return list(
        Finding.objects.filter(
            content_type=_content_type(obj), object_id=obj.pk, source=Source.TEXT, status=Finding.Status.OPEN
        )
    )


def video_scan(*, asset_id: int, progress: Callable[[float], None] | None = None) -> list[Finding]:
    """OCR of a video's frames (slow: its progress is kept for the admin), and its subtitles."""
    import tempfile

    from media.models import VideoAsset
    from privacy.detect.video import find_in_video

    asset = VideoAsset.objects.filter(pk=asset_id).first()
    if asset is None:
        return []
    text_scan(obj=asset)
    _scan_state(asset, Source.VIDEO, status=Scan.Status.RUNNING, progress=0.0, error="")
    last = [0.0]

    def report(fraction: float) -> None:
        if fraction - last[0] >= 0.05 or fraction >= 1.0:
            last[0] = fraction
            Scan.objects.filter(content_type=_content_type(asset), object_id=asset.pk, source=Source.VIDEO).update(
                progress=fraction, updated_at=timezone.now()
            )
        if progress is not None:
            progress(fraction)

    def detect():
        with tempfile.TemporaryDirectory(prefix="bangban-pii-video-") as workdir:
            return find_in_video(local_path(asset.file, Path(workdir)), key=scan_key(), progress=report)

    found = _detected(asset, Source.VIDEO, detect=detect, what="Video")
    if found is None:
        return []
    seen = [
        Seen(
            source=Source.VIDEO,
            field="frames",
            kind=str(item.kind),
            masked=item.masked,
            fingerprint=item.fingerprint,
            box=item.box.as_list(),
            start=item.start,
            end=item.end,
        )
        for item in found
    ]
    findings = findings_replace(obj=asset, sources=[Source.VIDEO], seen=seen)
    _scan_state(asset, Source.VIDEO, status=Scan.Status.DONE, progress=1.0, error="")
    return findings + findings_open_text(asset)


def _scanned(obj, source: str) -> bool:
    return Scan.objects.filter(content_type=_content_type(obj), object_id=obj.pk, source=source).exists()


def tutorial_scan(*, page_id: int) -> list[Finding]:
    """The latest revision's text now; its videos' subtitles again (they change under review); its pictures and
    video frames when they were never scanned (they are on upload, and again after a mask)."""
    from tutorials.models import TutorialPage

    page = TutorialPage.objects.filter(pk=page_id).first()
    if page is None:
        return []
    latest = page.get_latest_revision_as_object()
    findings = text_scan(obj=page, places=text_places_for(latest))
    for image in latest.screenshot_images():
        if not _scanned(image, Source.IMAGE):
            scan_request(obj=image)
    for video in latest.step_videos():
        findings += text_scan(obj=video)
        if not _scanned(video, Source.VIDEO):
            scan_request(obj=video, text=False)
    return findings


def _queue(obj, sources: Iterable[str], enqueue: Callable[[], object]) -> None:
    """Once the current transaction commits: mark the OCR scans of these sources waiting (publishing stays blocked
    until they end), then enqueue the task. Marked at commit, not before, so a rolled-back save leaves no scan
    that would wait forever."""
    content_type, object_id, sources = _content_type(obj), obj.pk, list(sources)

    def start() -> None:
        with transaction.atomic():
            for source in sources:
                Scan.objects.update_or_create(
                    content_type=content_type,
                    object_id=object_id,
                    source=source,
                    defaults={"status": Scan.Status.PENDING, "progress": 0.0, "error": ""},
                )
        enqueue()

    transaction.on_commit(start)


def scan_request(*, obj, text: bool = True, frames: bool = True) -> None:
    """Queue the scans of any object once the current transaction commits: a tutorial, a picture, a video (its
    text alone without ``frames``), or another model that declares what the guard reads (see the module's
    docstring)."""
    from wagtail.images.models import AbstractImage

    from media.models import VideoAsset
    from tutorials.models import TutorialPage

    from . import tasks

    if isinstance(obj, TutorialPage):
        page_id = obj.pk
        transaction.on_commit(lambda: tasks.scan_tutorial.enqueue(page_id))
        return
    if isinstance(obj, AbstractImage):
        image_id = obj.pk
        _queue(obj, [Source.IMAGE], lambda: tasks.scan_image.enqueue(image_id))
        return
    model, object_id = _content_type(obj), obj.pk
    if isinstance(obj, VideoAsset):
        if frames:
            _queue(obj, [Source.VIDEO], lambda: tasks.scan_video.enqueue(object_id))
        elif text:
            transaction.on_commit(lambda: tasks.scan_text.enqueue(model.pk, object_id))
        return
    if hasattr(obj, "privacy_file_places"):
        sources = {Source.VIDEO if place.video else Source.IMAGE for place in file_places_for(obj)}
        _queue(obj, sorted(sources), lambda: tasks.scan_object.enqueue(model.pk, object_id))
        return
    if text:
        transaction.on_commit(lambda: tasks.scan_text.enqueue(model.pk, object_id))


def _files_seen(obj, source: str, places: list[FilePlace], workdir: Path) -> list[Seen]:
    from privacy.detect.ocr import find_in_image
    from privacy.detect.video import find_in_video

    seen: list[Seen] = []
    for index, place in enumerate(places):
        folder = workdir / str(index)
        folder.mkdir()
        local = local_path(place.file, folder)
        if source == Source.VIDEO:
            for item in find_in_video(local, key=scan_key()):
                seen.append(
                    Seen(
                        source=source,
                        field=place.field,
                        kind=str(item.kind),
                        masked=item.masked,
                        fingerprint=item.fingerprint,
                        box=item.box.as_list(),
                        start=item.start,
                        end=item.end,
                    )
                )
        else:
            for item in find_in_image(local, key=scan_key()):
                seen.append(
                    Seen(
                        source=source,
                        field=place.field,
                        kind=str(item.kind),
                        masked=item.masked,
                        fingerprint=item.fingerprint,
                        box=item.box.as_list(),
                    )
                )
        _scan_state(obj, source, status=Scan.Status.RUNNING, progress=(index + 1) / len(places), error="")
    return seen


def object_scan(*, obj) -> list[Finding]:
    """Scan any object that declares what the guard reads: its text places now, then each of its files by OCR
    (pictures and videos in turn), replacing its findings. Returns the open ones. Idempotent."""
    import tempfile

    from privacy.detect import DetectError

    findings = text_scan(obj=obj)
    places = file_places_for(obj)
    for source in (Source.IMAGE, Source.VIDEO):
        group = [place for place in places if place.video == (source == Source.VIDEO) and place.file]
        if not group:
            findings_replace(obj=obj, sources=[source], seen=[])
            Scan.objects.filter(content_type=_content_type(obj), object_id=obj.pk, source=source).delete()
            continue
        _scan_state(obj, source, status=Scan.Status.RUNNING, progress=0.0, error="")
        try:
            with tempfile.TemporaryDirectory(prefix="bangban-pii-object-") as workdir:
                seen = _files_seen(obj, source, group, Path(workdir))
        except (DetectError, OSError, ValueError) as error:
            _scan_state(obj, source, status=Scan.Status.FAILED, error=str(error))
            logger.warning("%s %s could not be scanned: %s", type(obj).__name__, obj.pk, error)
            continue
        except Exception:
            _scan_state(obj, source, status=Scan.Status.FAILED, error=_("The scan stopped unexpectedly."))
            raise  # a scan left "running" would block publishing for good
        findings += findings_replace(obj=obj, sources=[source], seen=seen)
        _scan_state(obj, source, status=Scan.Status.DONE, progress=1.0, error="")
    return findings


def _log_target(finding: Finding, page=None):
    return page if page is not None else finding.content_object


def finding_override(*, finding: Finding, user, reason: str, page=None) -> Finding:
    """A Moderator lets a finding go out (a sample number on a training screen, a public service hotline OCR read
    as a mobile number), with a written reason kept in the audit log."""
    if not user.has_perm(OVERRIDE_PERMISSION):
        raise PermissionDenied(_("Only a Moderator can override a personal-information finding."))
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError(_("Write why this number may be published (at least 10 characters)."))
    with transaction.atomic():
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        if finding.status != Finding.Status.OPEN:
            raise ValidationError(_("This finding is no longer open."))
        finding.status, finding.reason = Finding.Status.OVERRIDDEN, reason
        finding.decided_by, finding.decided_at = user, timezone.now()
        finding.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        log(
            instance=_log_target(finding, page),
            action=OVERRIDE_ACTION,
            user=user,
            data={
                "kind": finding.kind,
                "masked": finding.masked,
                "field": finding.field,
                "object": str(finding.content_object),
                "reason": reason,
            },
        )
    return finding


def _masked_picture(data: bytes, *, box: list[int], method: str) -> tuple[bytes, str]:
    from PIL import Image, ImageDraw, ImageFilter

    with Image.open(io.BytesIO(data)) as source:
        fmt = source.format or "PNG"
        picture = source.convert("RGB") if source.mode not in ("RGB", "L") else source.copy()
    left, top, right, bottom = box
    region = (
        max(0, left - MASK_PADDING),
        max(0, top - MASK_PADDING),
        min(picture.width, right + MASK_PADDING),
        min(picture.height, bottom + MASK_PADDING),
    )
    if region[0] >= region[2] or region[1] >= region[3]:
        raise ValidationError(_("The box lies outside the picture."))
    if method == ImageMask.Method.BLUR:
        # Strong enough that no digit stays readable: the region is shrunk to a few pixels, then blurred back up.
        part = picture.crop(region)
        small = part.resize((max(1, part.width // 12), max(1, part.height // 12)), Image.Resampling.BILINEAR)
        picture.paste(small.resize(part.size).filter(ImageFilter.GaussianBlur(4)), region[:2])
    else:
        ImageDraw.Draw(picture).rectangle((region[0], region[1], region[2] - 1, region[3] - 1), fill="#333333")
    out = io.BytesIO()
    fmt = fmt if fmt in ("PNG", "JPEG", "WEBP") else "PNG"
    picture.save(out, format=fmt, **({"quality": 92} if fmt != "PNG" else {}))
    return out.getvalue(), {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}[fmt]


def image_mask(*, finding: Finding, user, method: str = ImageMask.Method.BOX, box: list[int] | None = None):
    """Paint over a finding in a picture. The picture's file becomes the masked one (every step and rendition that
    shows it changes at once), the file as uploaded is kept privately, and the picture is scanned again: the
    finding stays masked only if the number is no longer read."""
    from wagtail.images import get_image_model

    if finding.source != Source.IMAGE or finding.box is None:
        raise ValidationError(_("Only a finding inside a picture can be masked here; edit the text instead."))
    if method not in ImageMask.Method.values:
        raise ValidationError(_("Choose blur or a solid box."))
    box = [int(v) for v in (box or finding.box)]
    if len(box) != 4 or box[0] >= box[2] or box[1] >= box[3]:
        raise ValidationError(_("The box needs a left, top, right and bottom edge."))
    image_model = get_image_model()
    with transaction.atomic():
        image = image_model.objects.select_for_update().get(pk=finding.object_id)
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        if finding.status != Finding.Status.OPEN:
            raise ValidationError(_("This finding is no longer open."))
        with image.open_file() as handle:
            original = handle.read()
        masked, suffix = _masked_picture(original, box=box, method=method)
        stem = Path(image.file.name).stem
        record = ImageMask(image=image, box=box, method=method, created_by=user)
        record.original.save(Path(image.file.name).name, ContentFile(original), save=False)
        record.save()
        old_name = image.file.name
        image.file.save(f"{stem}-masked{suffix}", ContentFile(masked), save=False)
        image.file_size = len(masked)
        image.file_hash = hashlib.sha1(masked).hexdigest()
        image.save(update_fields=["file", "file_size", "file_hash"])
        image.renditions.all().delete()
        storage = image.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))
        finding.status, finding.decided_by, finding.decided_at = Finding.Status.MASKED, user, timezone.now()
        finding.save(update_fields=["status", "decided_by", "decided_at"])
        log(
            instance=image,
            action=MASK_ACTION,
            user=user,
            data={"kind": finding.kind, "masked": finding.masked, "box": box, "method": method},
        )
        scan_request(obj=image)
    return record


@dataclass(frozen=True)
class SiteFinding:
    kind: str
    place: str
    masked: str
    box: list[int] | None = None
    start: float | None = None
    end: float | None = None


def site_scan(*, ocr: bool = True, progress: Callable[[str], None] | None = None):
    """Every live tutorial: its text as published, and (with ``ocr``) its pictures and video frames, scanned again
    and stored like any upload. Yields what is open: overridden findings are not reported."""
    from media.models import VideoAsset
    from tutorials.models import TutorialPage

    from .selectors import overridden_keys, tutorial_text_places

    done: set[tuple[str, int]] = set()
    for page in TutorialPage.objects.live().order_by("path").iterator(chunk_size=200):
        if progress is not None:
            progress(f"tutorial {page.pk}")
        where = f"tutorial {page.pk} ({page.url_path})"
        steps = {step_id: number for number, step_id in enumerate(page.step_ids(), start=1)}
        overridden = overridden_keys(page)
        for place, found in text_findings(places=tutorial_text_places(page)):
            if (Source.TEXT, place.field, place.step_id, found.fingerprint) not in overridden:
                yield SiteFinding(kind=str(found.kind), place=f"{where} {place.label(steps)}", masked=found.masked)
        for obj in [*page.screenshot_images(), *page.step_videos()]:
            is_video = isinstance(obj, VideoAsset)
            if (type(obj).__name__, obj.pk) in done:
                continue
            done.add((type(obj).__name__, obj.pk))
            if is_video:
                findings = video_scan(asset_id=obj.pk) if ocr else text_scan(obj=obj)
                label = f"video {obj.pk} ({obj})"
            else:
                findings = image_scan(image_id=obj.pk) if ocr else text_scan(obj=obj)
                label = f"image {obj.pk} ({obj})"
            for finding in findings:
                place = f"{label} {finding.field}"
                if finding.source == Source.TEXT and finding.start is not None:
                    place = f"{place} at {finding.start:.1f}s"
                yield SiteFinding(
                    kind=finding.kind,
                    place=place,
                    masked=finding.masked,
                    box=finding.box,
                    start=finding.start if finding.source == Source.VIDEO else None,
                    end=finding.end,
                )


def video_mask_check(*, finding: Finding, method: str, box: list[int], start: float, end: float) -> None:
    if finding.source != Source.VIDEO:
        raise ValidationError(_("Only a finding in a video's frames can be masked over time."))
    if finding.status != Finding.Status.OPEN:
        raise ValidationError(_("This finding is no longer open."))
    if method not in ImageMask.Method.values:
        raise ValidationError(_("Choose blur or a solid box."))
    if len(box) != 4 or box[0] >= box[2] or box[1] >= box[3]:
        raise ValidationError(_("The box needs a left, top, right and bottom edge."))
    if not 0 <= start < end:
        raise ValidationError(_("The mask must end after it starts."))


def video_mask_request(*, finding: Finding, user, method: str, box: list[int], start: float, end: float) -> None:
    """Queue a video mask (ffmpeg re-encodes the whole video, so it runs on the media queue)."""
    from . import tasks

    video_mask_check(finding=finding, method=method, box=box, start=start, end=end)
    args = (finding.pk, user.pk, method, [int(v) for v in box], float(start), float(end))
    transaction.on_commit(lambda: tasks.mask_video.enqueue(*args))


def video_mask(*, finding_id: int, user_id: int | None, method: str, box: list[int], start: float, end: float):
    """Cover a finding in a video for a span of seconds (``box`` as the scan reports it). The video's original
    becomes the masked file, the file as uploaded is kept privately, the phone version and poster are made again
    from it (the video is not ready, so not publishable, until then), and its frames are scanned again."""
    import tempfile

    from django.contrib.auth import get_user_model

    from media.models import VideoAsset
    from media.services import video_enqueue
    from privacy.detect.video import SEEN_LATE_BY

    from .masking import mask_video, scan_box_to_video, video_size
    from .models import VideoMask

    finding = Finding.objects.filter(pk=finding_id).first()
    if finding is None or finding.status != Finding.Status.OPEN:
        return None
    video_mask_check(finding=finding, method=method, box=box, start=start, end=end)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    asset = VideoAsset.objects.get(pk=finding.object_id)
    with tempfile.TemporaryDirectory(prefix="bangban-pii-mask-") as workdir:
        source = local_path(asset.file, Path(workdir))
        width, _height = video_size(source)
        own_box = scan_box_to_video(box, width=width)
        target = Path(workdir) / "masked.mp4"
        # The scan sees a number first in a frame up to SEEN_LATE_BY after it appeared (one look, plus the frames
        # the decoder skipped). The mask starts that much earlier, so no frame shows it uncovered.
        start = max(0.0, start - SEEN_LATE_BY)
        mask_video(source, target, box=own_box, start=start, end=end, method=method)
        with transaction.atomic():
            asset = VideoAsset.objects.select_for_update().get(pk=asset.pk)
            if asset.status == VideoAsset.Status.PROCESSING:
                raise ValidationError(_("The video is being processed; mask it when processing has finished."))
            record = VideoMask(asset=asset, box=own_box, start=start, end=end, method=method, created_by=user)
            with asset.file.open("rb") as original:
                record.original.save(Path(asset.file.name).name, File(original), save=False)
            record.save()
            old_name, storage = asset.file.name, asset.file.storage
            with open(target, "rb") as masked:
                asset.file.save(f"{Path(old_name).stem}-masked.mp4", File(masked), save=False)
            log_entries = dict(asset.stage_log)
            for stage in ("transcode", "poster"):
                log_entries.pop(stage, None)
            asset.stage_log = log_entries
            asset.status, asset.progress, asset.failure_reason = VideoAsset.Status.PENDING, 0.0, ""
            asset.save(update_fields=["file", "stage_log", "status", "progress", "failure_reason"])
            transaction.on_commit(lambda: storage.delete(old_name))
            finding = Finding.objects.select_for_update().get(pk=finding.pk)
            finding.status, finding.decided_by, finding.decided_at = Finding.Status.MASKED, user, timezone.now()
            finding.save(update_fields=["status", "decided_by", "decided_at"])
            log(
                instance=asset,
                action=MASK_ACTION,
                user=user,
                data={"kind": finding.kind, "masked": finding.masked, "box": own_box, "start": start, "end": end},
            )
            video_enqueue(asset_id=asset.pk)
            scan_request(obj=asset)
    return record


def unmasked_originals_delete(*, names: list[str]) -> int:
    """Remove the kept unmasked originals of deleted masks (their picture or video went); a name a mask row still
    holds is kept. Returns how many files went; a file already gone is skipped."""
    from .models import VideoMask

    storage = VideoMask._meta.get_field("original").storage
    held = set(ImageMask.objects.filter(original__in=names).values_list("original", flat=True))
    held |= set(VideoMask.objects.filter(original__in=names).values_list("original", flat=True))
    return delete_unheld(storage, names, held=held)
