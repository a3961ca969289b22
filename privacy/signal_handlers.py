from django.db.models.signals import post_save
from wagtail.images import get_image_model
from wagtail.models import Revision

from media.models import VideoAsset

from .services import scan_request


def scan_new_upload(sender, instance, created: bool, **kwargs) -> None:
    if created and not kwargs.get("raw"):
        scan_request(obj=instance)


def scan_saved_tutorial(sender, instance: Revision, created: bool, **kwargs) -> None:
    from tutorials.models import TutorialPage

    if created and not kwargs.get("raw") and instance.content_type.model_class() is TutorialPage:
        scan_request(obj=TutorialPage(pk=int(instance.object_id)))


def register_signal_handlers() -> None:
    post_save.connect(scan_new_upload, sender=get_image_model(), dispatch_uid="privacy_scan_new_image")
    post_save.connect(scan_new_upload, sender=VideoAsset, dispatch_uid="privacy_scan_new_video")
    post_save.connect(scan_saved_tutorial, sender=Revision, dispatch_uid="privacy_scan_saved_tutorial")
