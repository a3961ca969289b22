"""The unmasked original a mask keeps is personal data: it leaves the private storage with its picture or video, once
the deletion is committed (a rolled-back deletion keeps it)."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from media.models import VideoAsset
from privacy.models import ImageMask, VideoMask
from privacy.tasks import delete_unmasked_originals
from tests import factories

pytestmark = pytest.mark.django_db


def video_mask() -> VideoMask:
    mask = VideoMask(asset=factories.make_video(), box=[0, 0, 10, 10], start=0.0, end=1.0)
    mask.original.save("recording.mp4", ContentFile(b"unmasked video"), save=True)
    return mask


def image_mask() -> ImageMask:
    mask = ImageMask(image=factories.make_image(), box=[0, 0, 10, 10])
    mask.original.save("screen.png", ContentFile(b"unmasked picture"), save=True)
    return mask


def test_deleting_a_video_removes_the_unmasked_original_after_the_commit(django_capture_on_commit_callbacks):
    mask = video_mask()
    original, asset_file = Path(mask.original.path), Path(mask.asset.file.path)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        VideoAsset.objects.filter(pk=mask.asset_id).delete()
    assert original.exists() and asset_file.exists() and len(queued) == 2
    for callback in queued:
        callback()
    assert not original.exists() and not asset_file.exists()


def test_deleting_a_picture_removes_the_unmasked_original(django_capture_on_commit_callbacks):
    mask = image_mask()
    original = Path(mask.original.path)
    with django_capture_on_commit_callbacks(execute=True):
        mask.image.delete()
    assert not ImageMask.objects.exists()
    assert not original.exists()


def test_a_rolled_back_deletion_keeps_the_unmasked_original(django_capture_on_commit_callbacks):
    mask = video_mask()
    original = Path(mask.original.path)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        with pytest.raises(RuntimeError), transaction.atomic():
            mask.asset.delete()
            raise RuntimeError("the request failed after the delete")
    assert queued == [] and original.exists() and VideoMask.objects.filter(pk=mask.pk).exists()


def test_a_name_a_mask_still_holds_is_kept():
    mask = video_mask()
    assert delete_unmasked_originals.call([mask.original.name]) == 0
    assert Path(mask.original.path).exists()
