"""A video's stored files: who may fetch them, and removing them when the video goes.

All of a video's files (original, phone version, poster) are in the private default storage. Citizens reach the
phone version, poster and subtitles through media.views only while a live tutorial that anyone may view uses the
video; staff who may see videos reach them always (previews of drafts), the original only through the private view.
"""

import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.lookups import StartsWith
from wagtail.models import Page, PageViewRestriction, ReferenceIndex

from cms.private_files import delete_unheld

from .models import VideoAsset

logger = logging.getLogger(__name__)

VIEW_PERMISSIONS = ("bangban_media.view_videoasset", "bangban_media.change_videoasset")


def user_may_see_videos(user) -> bool:
    return user.is_authenticated and any(user.has_perm(permission) for permission in VIEW_PERMISSIONS)


def video_file_allowed(user, name: str) -> bool:
    """The rule of cms.private_files for names under videos/: staff who may see videos, for a file a video has."""
    return (
        user_may_see_videos(user)
        and VideoAsset.objects.filter(Q(file=name) | Q(rendition=name) | Q(poster=name)).exists()
    )


def video_public_get(*, pk: int) -> VideoAsset | None:
    """The processed video ``pk`` if a live tutorial without view restrictions uses it, else None.

    Runs on every range request of a playing video, so it costs two indexed queries: the pages whose live content
    refers to the video (Wagtail's reference index, which is built from the page row, i.e. the published version),
    then the video joined with "one of them is live and no restriction covers it or an ancestor".
    """
    page_ids = [
        int(object_id)
        for object_id in ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            to_content_type=ContentType.objects.get_for_model(VideoAsset),
            to_object_id=str(pk),
        ).values_list("object_id", flat=True)
        if object_id.isdigit()
    ]
    if not page_ids:
        return None
    restricted = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    public_pages = Page.objects.filter(pk__in=page_ids, live=True, expired=False).exclude(Exists(restricted))
    return VideoAsset.objects.filter(pk=pk, status=VideoAsset.Status.READY).filter(Exists(public_pages)).first()


def video_for_request(*, user, pk: int) -> tuple[VideoAsset | None, bool]:
    """(the video, whether it is public) as far as ``user`` may see it; (None, False) when they may not."""
    asset = video_public_get(pk=pk)
    if asset is not None:
        return asset, True
    if user_may_see_videos(user):
        return VideoAsset.objects.filter(pk=pk).first(), False
    return None, False


def _delete_unused(names: list[str]) -> int:
    """Delete the stored ``names`` no video row holds (a file is never taken from under a live row)."""
    in_use = set(
        VideoAsset.objects.filter(Q(file__in=names) | Q(rendition__in=names) | Q(poster__in=names)).values_list(
            "file", "rendition", "poster"
        )
    )
    return delete_unheld(default_storage, names, held={name for row in in_use for name in row})


def video_chapter_posters_delete(*, asset_id: int) -> int:
    """Remove a video's chapter posters (media.services.chapter_poster_name); returns how many went."""
    try:
        _, chapter_posters = default_storage.listdir("videos/posters/chapters")
    except (FileNotFoundError, NotImplementedError):
        chapter_posters = []
    removed = 0
    for poster in chapter_posters:
        if poster.startswith(f"{asset_id}-"):
            default_storage.delete(f"videos/posters/chapters/{poster}")
            removed += 1
    return removed


def video_files_delete(*, asset_id: int, names: list[str]) -> int:
    """Remove the stored files of a deleted video and its scratch space; returns how many files went.

    A name another video row still holds is kept (a file is never taken from under a live row).
    """
    removed = _delete_unused(names)
    # The row is gone, so no row holds its chapter posters.
    removed += video_chapter_posters_delete(asset_id=asset_id)
    shutil.rmtree(Path(settings.MEDIA_WORK_DIR) / f"video-{asset_id}", ignore_errors=True)
    logger.info("video %s deleted: %s of its files removed", asset_id, removed)
    return removed


def video_replaced_files_delete(*, asset_id: int, names: list[str]) -> int:
    """Remove what a video had before its original was replaced (the old original, phone version and poster).

    Its chapter posters and scratch space are the processing's business: it drops them itself when it starts over
    (``media.services.video_process``), so a run already under way is never disturbed.
    """
    removed = _delete_unused(names)
    logger.info("video %s replaced: %s of its old files removed", asset_id, removed)
    return removed
