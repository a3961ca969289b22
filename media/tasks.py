from django_tasks import task

from . import services


@task(queue_name="media")
def process_video(asset_id: int) -> str:
    asset = services.video_process(asset_id=asset_id)
    return asset.status if asset else "skipped"
