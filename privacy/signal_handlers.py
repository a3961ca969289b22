from django.db.models.signals import post_save
from wagtail.images import get_image_model
from wagtail.models import Revision

from media.models import VideoAsset

from .services import scan_request


def scan_new_upload(sender, instance, created: bool, **kwargs) -> None:
    if created and not kwargs.get("raw"):
        scan_request(obj=instance)


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
    post_save.connect(scan_saved_tutorial, sender=Revision, dispatch_uid="privacy_scan_saved_tutorial")
