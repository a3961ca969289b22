from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .models import VideoAsset
from .services import video_enqueue
from .tasks import delete_video_files


def enqueue_new_video(sender, instance: VideoAsset, created: bool, **kwargs) -> None:
    if created:
        video_enqueue(asset_id=instance.pk)


def remove_files_of_deleted_video(sender, instance: VideoAsset, **kwargs) -> None:
    names = [stored.name for stored in (instance.file, instance.rendition, instance.poster) if stored]
    asset_id = instance.pk
    transaction.on_commit(lambda: delete_video_files.enqueue(asset_id, names))


def register_signal_handlers() -> None:
    post_delete.connect(remove_files_of_deleted_video, sender=VideoAsset, dispatch_uid="remove_files_of_deleted_video")
    post_save.connect(enqueue_new_video, sender=VideoAsset, dispatch_uid="enqueue_new_video")
