from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.images import get_image_model
from wagtail.models import Revision

from media.models import VideoAsset
from media.signals import video_file_replaced

from .models import ImageMask, VideoMask
from .services import scan_request


def scan_new_upload(sender, instance, created: bool, **kwargs) -> None:
    if created and not kwargs.get("raw"):
        scan_request(obj=instance)


def scan_replaced_video(sender, asset, **kwargs) -> None:
    scan_request(obj=asset)


def remove_original_of_deleted_mask(sender, instance, **kwargs) -> None:
    from .tasks import delete_unmasked_originals

    names = [instance.original.name] if instance.original else []
    if names:
        # Once the deletion is committed: a rolled-back delete keeps the file.
        transaction.on_commit(lambda: delete_unmasked_originals.enqueue(names))


def scan_saved_tutorial(sender, instance: Revision, created: bool, **kwargs) -> None:
    from media.models import SubtitleTrack
    from tutorials.models import TutorialPage

    if not created or kwargs.get("raw"):
        return
    model = instance.content_type.model_class()
    if model is TutorialPage:
        scan_request(obj=TutorialPage(pk=int(instance.object_id)))
    elif model is SubtitleTrack:
        # A subtitle edit changes the text of its video: the video's text is scanned again, not its frames.
        asset_id = SubtitleTrack.objects.filter(pk=instance.object_id).values_list("asset_id", flat=True).first()
        if asset_id is not None:
            scan_request(obj=VideoAsset(pk=asset_id), text=True, frames=False)


def register_signal_handlers() -> None:
    post_save.connect(scan_new_upload, sender=get_image_model(), dispatch_uid="privacy_scan_new_image")
    post_save.connect(scan_new_upload, sender=VideoAsset, dispatch_uid="privacy_scan_new_video")
    video_file_replaced.connect(scan_replaced_video, sender=VideoAsset, dispatch_uid="privacy_scan_replaced_video")
    for model in (ImageMask, VideoMask):
        post_delete.connect(
            remove_original_of_deleted_mask, sender=model, dispatch_uid=f"privacy_remove_unmasked_{model.__name__}"
        )
    post_save.connect(scan_saved_tutorial, sender=Revision, dispatch_uid="privacy_scan_saved_tutorial")
