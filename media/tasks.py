from django_tasks import task

from . import services


@task(queue_name="media")
def process_video(asset_id: int) -> str:
    asset = services.video_process(asset_id=asset_id)
    return asset.status if asset else "skipped"


@task(queue_name="default")
def delete_video_files(asset_id: int, names: list[str]) -> int:
    """The files of a deleted video (its row is gone, so the task gets their stored names)."""
    from .files import video_files_delete

    return video_files_delete(asset_id=asset_id, names=names)


@task(queue_name="default")
def delete_replaced_video_files(asset_id: int, names: list[str]) -> int:
    """The files a video had before its original was replaced by a new upload."""
    from .files import video_replaced_files_delete

    return video_replaced_files_delete(asset_id=asset_id, names=names)
