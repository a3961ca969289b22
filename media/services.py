"""Writes with business rules for videos: processing stages, retries, subtitle review."""

import logging
import math
import shutil
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.actions.unpublish import UnpublishAction

from .files import video_chapter_posters_delete
from .models import CUE_TEXT_MAX_LENGTH, GlossaryTerm, SubtitleTrack, VideoAsset
from .pipeline import types
from .signals import subtitles_approved, subtitles_withdrawn

logger = logging.getLogger(__name__)

Stage = VideoAsset.Stage
STAGES = [Stage.PROBE, Stage.TRANSCODE, Stage.POSTER, Stage.TRANSCRIBE, Stage.SUBTITLES]
# Share of the whole job each stage takes, for one progress bar over all of them.
STAGE_WEIGHT = {
    Stage.PROBE: 0.02,
    Stage.TRANSCODE: 0.38,
    Stage.POSTER: 0.03,
    Stage.TRANSCRIBE: 0.52,
    Stage.SUBTITLES: 0.05,
}
LEASE = timedelta(minutes=10)


class AssetBusy(Exception):
    """Another worker holds the asset, or there is nothing left to do."""


def video_create(*, title: str, file, language: str, user=None) -> VideoAsset:
    asset = VideoAsset(title=title, file=file, language=language, uploaded_by=user)
    asset.full_clean()
    asset.save()
    return asset


def video_replace_check(*, asset: VideoAsset) -> None:
    """A video a worker is processing keeps its original until processing ends (or stalls)."""
    if asset.status == VideoAsset.Status.PROCESSING and asset.lease_until and asset.lease_until > timezone.now():
        raise ValidationError(_("The video is being processed; replace its file when processing has finished."))


def video_file_replace(*, asset: VideoAsset, user=None) -> VideoAsset:
    """Save ``asset``, whose ``file`` holds a newly uploaded original in place of the stored one.

    Nothing made from the old original fits the new one: processing starts over (facts, phone version, poster,
    speech; its chapter posters go when the new phone version is made), the guard scans the new file, and the old
    original, phone version and poster leave the storage once the change is committed (a rolled-back replacement
    keeps them). The unmasked original a privacy mask keeps is a copy of its own and is not touched. Approved
    subtitles were timed to the old recording: they are withdrawn (citizens and the search index see none) until the
    new recording's lines are reviewed and approved; the old lines stay in the track's history.
    """
    from .signals import video_file_replaced
    from .tasks import delete_replaced_video_files

    with transaction.atomic():
        stored = VideoAsset.objects.select_for_update().get(pk=asset.pk)
        video_replace_check(asset=stored)
        old_names = [name for name in (stored.file.name, stored.rendition.name, stored.poster.name) if name]
        asset.rendition, asset.poster = "", ""
        asset.status, asset.stage, asset.progress, asset.failure_reason = VideoAsset.Status.PENDING, "", 0.0, ""
        asset.stage_log, asset.lease_until, asset.attempts = {}, None, 0
        asset.duration = asset.width = asset.height = asset.has_audio = None
        track = SubtitleTrack.objects.select_for_update().filter(asset_id=asset.pk).first()
        withdraw = track is not None and track.live
        if withdraw:
            asset.subtitles = VideoAsset.Subtitles.AUTO
        asset.save()
        asset_id = asset.pk
        if withdraw:
            # The workflow's own permission is not asked: whoever may replace the recording withdraws its lines.
            UnpublishAction(track, user=user).execute(skip_permission_checks=True)
            transaction.on_commit(lambda: subtitles_withdrawn.send(sender=VideoAsset, asset=asset))
        transaction.on_commit(lambda: delete_replaced_video_files.enqueue(asset_id, old_names))
        video_enqueue(asset_id=asset_id)
        video_file_replaced.send(sender=VideoAsset, asset=asset)
    return asset


def video_enqueue(*, asset_id: int) -> None:
    from .tasks import process_video

    transaction.on_commit(lambda: process_video.enqueue(asset_id))


def video_retry(*, asset: VideoAsset) -> VideoAsset:
    """Queue a failed or stalled asset again; finished stages are kept and not repeated."""
    with transaction.atomic():
        asset = VideoAsset.objects.select_for_update().get(pk=asset.pk)
        stalled = asset.status == VideoAsset.Status.PROCESSING and (
            asset.lease_until is None or asset.lease_until < timezone.now()
        )
        if asset.status != VideoAsset.Status.FAILED and not stalled:
            raise ValidationError(_("Only a failed or stalled video can be retried."))
        asset.status = VideoAsset.Status.PENDING
        asset.failure_reason = ""
        asset.lease_until = None
        asset.save(update_fields=["status", "failure_reason", "lease_until"])
        video_enqueue(asset_id=asset.pk)
    return asset


def _claim(asset_id: int) -> VideoAsset:
    with transaction.atomic():
        asset = VideoAsset.objects.select_for_update().filter(pk=asset_id).first()
        if asset is None or asset.status == VideoAsset.Status.READY:
            raise AssetBusy
        now = timezone.now()
        if asset.status == VideoAsset.Status.PROCESSING and asset.lease_until and asset.lease_until > now:
            raise AssetBusy
        asset.status = VideoAsset.Status.PROCESSING
        asset.failure_reason = ""
        asset.lease_until = now + LEASE
        asset.attempts += 1
        asset.save(update_fields=["status", "failure_reason", "lease_until", "attempts"])
        return asset


def _done_stages(asset: VideoAsset) -> set[str]:
    return {stage for stage, entry in asset.stage_log.items() if entry.get("done")}


def _overall(asset: VideoAsset, stage: str, fraction: float) -> float:
    done = _done_stages(asset)
    before = sum(STAGE_WEIGHT[s] for s in STAGES if s in done and s != stage)
    return min(1.0, before + STAGE_WEIGHT[stage] * max(0.0, min(1.0, fraction)))


def _progress_reporter(asset: VideoAsset, stage: str) -> Callable[[float], None]:
    last = {"at": 0.0, "value": -1.0}

    def report(fraction: float) -> None:
        value = _overall(asset, stage, fraction)
        now = time.monotonic()
        if value - last["value"] < 0.01 and now - last["at"] < 2:
            return
        last.update(at=now, value=value)
        VideoAsset.objects.filter(pk=asset.pk).update(progress=value, lease_until=timezone.now() + LEASE)

    return report


def _mark(asset: VideoAsset, stage: str, *, seconds: float, **detail) -> None:
    asset.stage_log = {**asset.stage_log, stage: {"done": True, "seconds": round(seconds, 2), **detail}}
    asset.progress = _overall(asset, stage, 1.0)
    asset.save(update_fields=["stage_log", "progress"])


@contextmanager
def _local_original(asset: VideoAsset, workdir: Path):
    """A local path to the original, downloading it from remote storage when there is no local file."""
    try:
        yield Path(asset.file.path)
        return
    except NotImplementedError:
        pass
    local = workdir / f"original{Path(asset.file.name).suffix}"
    if not local.exists():
        with asset.file.open("rb") as source, open(local, "wb") as target:
            shutil.copyfileobj(source, target)
    yield local


def _store(field, name: str, path: Path) -> None:
    if field:
        field.storage.delete(field.name)
    with open(path, "rb") as handle:
        field.save(name, File(handle), save=False)


def glossary_for_site() -> tuple[str | None, dict[str, str]]:
    terms = list(GlossaryTerm.objects.all())
    corrections = {wrong: term.term for term in terms for wrong in term.mishearings()}
    from .pipeline.glossary import hotwords

    return (hotwords([term.term for term in terms]) if terms else None), corrections


def whisper_options() -> dict:
    from .pipeline.weights import resolve_model_dir

    return {
        "engine": settings.WHISPER_ENGINE,
        "model_dir": resolve_model_dir(settings.WHISPER_MODEL_DIR, Path(settings.WHISPER_CACHE_DIR)),
        "compute_type": settings.WHISPER_COMPUTE_TYPE,
    }


def _run_stage(asset: VideoAsset, stage: str, original: Path, workdir: Path) -> None:
    from .pipeline import audio, poster, probe, subtitles, transcode, transcribe
    from .pipeline.glossary import correct_transcript

    report = _progress_reporter(asset, stage)
    started = time.monotonic()
    if stage == Stage.PROBE:
        result = probe.probe(original)
        probe.check_limits(result, max_bytes=settings.VIDEO_MAX_BYTES, max_seconds=settings.VIDEO_MAX_SECONDS)
        asset.duration, asset.width, asset.height = result.duration, result.width, result.height
        asset.has_audio = result.has_audio
        asset.save(update_fields=["duration", "width", "height", "has_audio"])
        _mark(asset, stage, seconds=time.monotonic() - started)
    elif stage == Stage.TRANSCODE:
        output = transcode.transcode_for_phone(original, workdir / "phone.mp4", progress=report)
        # Chapter posters are frames of the previous phone version (an original since replaced or masked).
        video_chapter_posters_delete(asset_id=asset.pk)
        _store(asset.rendition, f"{asset.pk}.mp4", output)
        asset.save(update_fields=["rendition"])
        _mark(asset, stage, seconds=time.monotonic() - started)
    elif stage == Stage.POSTER:
        output = poster.extract_poster(original, workdir / "poster.jpg")
        _store(asset.poster, f"{asset.pk}.jpg", output)
        asset.save(update_fields=["poster"])
        _mark(asset, stage, seconds=time.monotonic() - started)
    elif stage == Stage.TRANSCRIBE:
        if not asset.has_audio:
            _mark(asset, stage, seconds=0, segments=[], note="no audio track")
            return
        wav = audio.extract_audio(original, workdir / "speech.wav")
        if audio.is_silent(wav):
            _mark(asset, stage, seconds=time.monotonic() - started, segments=[], note="silence")
            return
        prompt, corrections = glossary_for_site()
        result = transcribe.transcribe(
            wav, language=asset.language, hotwords=prompt, progress=report, **whisper_options()
        )
        result = correct_transcript(result, corrections)
        segments = [[s.start, s.end, s.text] for s in result.segments]
        _mark(
            asset,
            stage,
            seconds=time.monotonic() - started,
            segments=segments,
            engine=result.engine,
            model=result.model,
        )
    elif stage == Stage.SUBTITLES:
        segments = asset.stage_log.get(Stage.TRANSCRIBE, {}).get("segments", [])
        transcript = types.Transcript(
            language=asset.language,
            segments=tuple(types.Segment(start, end, text) for start, end, text in segments),
            engine="",
            model="",
        )
        track = subtitles.cues_from_transcript(transcript)
        with transaction.atomic():
            # The revision and the stage mark commit together: a re-run never writes a second working copy.
            subtitles_machine_write(asset=asset, cues=[[c.start, c.end, c.text] for c in track.cues])
            _mark(asset, stage, seconds=time.monotonic() - started, cues=len(track.cues))


def _fail(asset: VideoAsset, reason: str) -> None:
    VideoAsset.objects.filter(pk=asset.pk).update(
        status=VideoAsset.Status.FAILED, failure_reason=reason[:2000], lease_until=None
    )


def video_process(*, asset_id: int) -> VideoAsset | None:
    """Run every stage not yet done, in order. Safe to call again after a failure or a killed worker."""
    try:
        asset = _claim(asset_id)
    except AssetBusy:
        return None
    workdir = Path(settings.MEDIA_WORK_DIR) / f"video-{asset.pk}"
    if not _done_stages(asset):
        # A run from the start (a new or replaced original) uses nothing a failed earlier run left behind.
        shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True, exist_ok=True)
    stage = ""
    try:
        with _local_original(asset, workdir) as original:
            for stage in STAGES:
                if stage in _done_stages(asset):
                    continue
                asset.stage = stage
                asset.save(update_fields=["stage"])
                _run_stage(asset, stage, original, workdir)
    except types.PipelineError as exc:
        _fail(asset, str(exc))
        return asset
    except Exception as exc:  # noqa: BLE001 - any failure must end as a readable state, never a stuck one
        logger.exception("video %s failed in stage %s", asset.pk, stage)
        _fail(
            asset,
            _("Unexpected error while %(stage)s (%(error)s). Retry; if it fails again, tell the administrator.")
            % {"stage": VideoAsset.Stage(stage).label if stage else "-", "error": type(exc).__name__},
        )
        return asset
    VideoAsset.objects.filter(pk=asset.pk).update(
        status=VideoAsset.Status.READY, stage="", progress=1.0, lease_until=None
    )
    shutil.rmtree(workdir, ignore_errors=True)
    asset.refresh_from_db()
    return asset


def cues_check(*, cues: list[dict], duration: float | None) -> list[list]:
    """The cues as ``[start, end, text]`` rows ready to store, or a ValidationError naming every bad row.

    Errors name a cue by its "row" (the editor's form row) when given, else by its place in ``cues``; each error's
    ``params["n"]`` is that number, so the editor can mark the row.
    """
    limit = duration if duration and math.isfinite(duration) else float("inf")
    previous_end = 0.0
    errors, rows = [], []
    for position, cue in enumerate(cues, start=1):
        number = cue.get("row", position)

        def bad(message, number=number, **params) -> None:
            errors.append(ValidationError(message, code="cue", params={"n": number, **params}))

        start, end, text = cue.get("start"), cue.get("end"), str(cue.get("text") or "").strip()
        if not all(isinstance(value, int | float) and math.isfinite(value) for value in (start, end)):
            bad(_("Line %(n)s: times must be seconds, like 83.5 or 1:23.5."))
            continue
        if start < 0 or end < 0:
            bad(_("Line %(n)s: times cannot be negative."))
        if not text:
            bad(_("Line %(n)s has no text."))
        if len(text) > CUE_TEXT_MAX_LENGTH:
            bad(
                _("Line %(n)s has %(length)s characters; at most %(limit)s fit on the screen."),
                length=len(text),
                limit=CUE_TEXT_MAX_LENGTH,
            )
        if end <= start:
            bad(_("Line %(n)s must end after it starts."))
        if start < previous_end - 0.001:
            bad(_("Line %(n)s starts before the previous line ends."))
        if end > limit + 0.5:
            bad(_("Line %(n)s ends after the video does."))
        if len(text.split("\n")) > 2:
            bad(_("Line %(n)s has more than two lines of text."))
        previous_end = max(previous_end, end)
        rows.append([round(float(start), 3), round(float(end), 3), text])
    if errors:
        raise ValidationError(errors)
    return rows


def subtitles_machine_write(*, asset: VideoAsset, cues: list[list]) -> SubtitleTrack | None:
    """Speech recognition's cues become a working copy (a revision with no user); nothing public changes."""
    track = SubtitleTrack.objects.filter(asset=asset).first()
    if track is None:
        if not cues:
            VideoAsset.objects.filter(pk=asset.pk).update(subtitles=VideoAsset.Subtitles.NONE)
            asset.subtitles = VideoAsset.Subtitles.NONE
            return None
        track = SubtitleTrack(asset=asset, cues=cues, machine_cues=cues, live=False)
        track.save()
    else:
        SubtitleTrack.objects.filter(pk=track.pk).update(machine_cues=cues)
        track.cues, track.machine_cues = cues, cues
    track.save_revision(user=None, log_action=True)
    if not track.live:
        asset.subtitles = VideoAsset.Subtitles.AUTO
        VideoAsset.objects.filter(pk=asset.pk).update(subtitles=asset.subtitles)
    return track


def subtitles_save(*, asset: VideoAsset, cues: list[dict], user, submit: bool = False) -> SubtitleTrack:
    """Save an editor's corrected cues as the working copy; with ``submit`` send it to the two-person review.

    The public subtitles change only when a second person approves (``SubtitleTrack.publish``).
    """
    rows = cues_check(cues=cues, duration=asset.duration)
    with transaction.atomic():
        asset = VideoAsset.objects.select_for_update().get(pk=asset.pk)
        track = SubtitleTrack.objects.filter(asset=asset).first()
        if track is None:
            track = SubtitleTrack(asset=asset, cues=rows, live=False)
            track.save()
        else:
            lock = track.get_lock()
            if lock is not None and lock.for_user(user):
                raise ValidationError(
                    _("These subtitles are under review; only a reviewer can change them until the review ends.")
                )
            # Only the revision gets the new cues: the row keeps the approved version.
            track.cues = rows
        track.save_revision(user=user, log_action=True)
        if not track.live:
            asset.subtitles = VideoAsset.Subtitles.AUTO
            asset.save(update_fields=["subtitles"])
        if submit:
            _submit_for_review(track=track, user=user)
    return track


def _submit_for_review(*, track: SubtitleTrack, user) -> None:
    state = track.current_workflow_state
    if state is None:
        workflow = track.get_workflow()
        if workflow is None:
            raise ValidationError(_("No review workflow is assigned to subtitles; ask an administrator."))
        workflow.start(track, user)
    elif state.status == state.STATUS_NEEDS_CHANGES:
        state.resume(user=user)
    # A review in progress goes on: the reviewer approves the latest revision, this one.


def subtitles_approve(*, asset: VideoAsset, user, comment: str = "") -> SubtitleTrack:
    """A second person approves the working copy under review, which publishes it."""
    from .selectors import subtitles_working_copy_editor_ids

    track = SubtitleTrack.objects.filter(asset=asset).first()
    state = track.current_workflow_state if track else None
    if state is None or state.status != state.STATUS_IN_PROGRESS or state.current_task_state is None:
        raise ValidationError(_("These subtitles are not waiting for review; submit them first."))
    task_state = state.current_task_state
    task = task_state.task.specific
    # Whoever edited any part of the working copy since the last approved version is an author, not a reviewer.
    if user.pk in subtitles_working_copy_editor_ids(track=track) or "approve" not in [
        name for name, *_rest in task.get_actions(track, user)
    ]:
        raise PermissionDenied(_("Only a Moderator who did not edit these subtitles can approve them."))
    task.on_action(task_state, user, "approve", comment=comment)
    track.refresh_from_db()
    return track


def subtitles_published(*, track_id: int) -> None:
    """A new version is public: the video's state says so and the search index hears of it."""
    track = SubtitleTrack.objects.select_related("asset").get(pk=track_id)
    asset = track.asset
    VideoAsset.objects.filter(pk=asset.pk).update(subtitles=VideoAsset.Subtitles.APPROVED)
    asset.subtitles = VideoAsset.Subtitles.APPROVED
    transaction.on_commit(lambda: subtitles_approved.send(sender=VideoAsset, asset=asset))


def chapter_poster_name(*, asset_id: int, start: float) -> str:
    """Where the poster of the chapter starting at ``start`` is stored (beside the video's own poster)."""
    return f"videos/posters/chapters/{asset_id}-{round(start * 100)}.jpg"


# A second into the chapter: past a cut that lands on the chapter's first frame, well before the next one.
CHAPTER_POSTER_OFFSET = 1.0
# A step's player is at most 30rem wide on a phone: 480 px keeps the poster sharp there at a third of the bytes of
# the video's own 720 px poster, and it is the largest thing an open step fetches before play.
CHAPTER_POSTER_WIDTH = 480


def video_chapter_posters_make(*, asset_id: int, chapters: list[tuple[float, float | None]]) -> int:
    """A poster frame for each (start, end) chapter of a processed video, taken from its phone version.

    Idempotent: a chapter whose poster exists is skipped. Returns the number of posters made.
    """
    from .pipeline import poster

    asset = VideoAsset.objects.filter(pk=asset_id, status=VideoAsset.Status.READY).first()
    if asset is None or not asset.rendition:
        return 0
    storage = asset.poster.field.storage
    wanted = {}
    for start, end in chapters:
        name = chapter_poster_name(asset_id=asset.pk, start=start)
        if not storage.exists(name):
            at = start + CHAPTER_POSTER_OFFSET
            if end is not None:
                at = min(at, (start + end) / 2)
            wanted[name] = at
    if not wanted:
        return 0
    workdir = Path(settings.MEDIA_WORK_DIR) / f"video-{asset.pk}-chapters"
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        try:
            source = Path(asset.rendition.path)
        except NotImplementedError:
            source = workdir / "phone.mp4"
            with asset.rendition.open("rb") as stored, open(source, "wb") as target:
                shutil.copyfileobj(stored, target)
        for name, at in wanted.items():
            try:
                output = poster.extract_poster(source, workdir / "poster.jpg", at=at, max_width=CHAPTER_POSTER_WIDTH)
            except types.PipelineError as exc:
                # The player falls back to the video's own poster; the next publish tries again.
                logger.warning("No chapter poster for video %s at %.2f s: %s", asset.pk, at, exc)
                wanted[name] = None
                continue
            with open(output, "rb") as handle:
                saved = storage.save(name, File(handle))
            if saved != name:  # another worker wrote it meanwhile: keep theirs
                storage.delete(saved)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return sum(1 for at in wanted.values() if at is not None)
