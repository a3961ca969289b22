from django_tasks import task

from . import services


@task(queue_name="search")
def search_outbox_drain() -> dict:
    return services.outbox_drain()


@task(queue_name="search")
def search_fallback_refresh(page_ids: list[int]) -> int:
    return services.fallback_entries_refresh(page_ids=page_ids)


@task(queue_name="search")
def search_pages_under_changed(page_id: int) -> int:
    return services.outbox_add_pages_under(page_id=page_id)


@task(queue_name="search")
def search_category_changed(category_id: int) -> int:
    return services.outbox_add_category(category_id=category_id)


@task(queue_name="search")
def search_video_changed(video_id: int) -> int:
    return services.outbox_add_video(video_id=video_id)
