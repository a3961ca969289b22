from django.db.models.signals import post_save

from .models import VideoAsset
from .services import video_enqueue


def enqueue_new_video(sender, instance: VideoAsset, created: bool, **kwargs) -> None:
    if created:
        video_enqueue(asset_id=instance.pk)


def register_signal_handlers() -> None:
    post_save.connect(enqueue_new_video, sender=VideoAsset, dispatch_uid="enqueue_new_video")
