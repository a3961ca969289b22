from django_tasks import task

from . import services


@task(queue_name="default")
def scan_tutorial(page_id: int) -> int:
    return len(services.tutorial_scan(page_id=page_id))


@task(queue_name="default")
def scan_image(image_id: int) -> int:
    return len(services.image_scan(image_id=image_id))


@task(queue_name="media")
def scan_video(asset_id: int) -> int:
    return len(services.video_scan(asset_id=asset_id))


@task(queue_name="default")
def scan_text(content_type_id: int, object_id: int) -> int:
    from django.contrib.contenttypes.models import ContentType

    model = ContentType.objects.get_for_id(content_type_id).model_class()
    obj = model._default_manager.filter(pk=object_id).first() if model else None
    return len(services.text_scan(obj=obj)) if obj is not None else 0


@task(queue_name="media")
def scan_object(content_type_id: int, object_id: int) -> int:
    """The scan of a model that declares its text and files; a draft's latest revision is what is read."""
    from django.contrib.contenttypes.models import ContentType

    model = ContentType.objects.get_for_id(content_type_id).model_class()
    obj = model._default_manager.filter(pk=object_id).first() if model else None
    if obj is None:
        return 0
    latest = getattr(obj, "get_latest_revision_as_object", None)
    return len(services.object_scan(obj=latest() if latest else obj))


@task(queue_name="media")
def mask_video(finding_id: int, user_id: int | None, method: str, box: list[int], start: float, end: float) -> str:
    record = services.video_mask(finding_id=finding_id, user_id=user_id, method=method, box=box, start=start, end=end)
    return "masked" if record else "skipped"


@task(queue_name="default")
def delete_unmasked_originals(names: list[str]) -> int:
    """The unmasked originals of deleted masks (the rows are gone, so the task gets the stored names)."""
    return services.unmasked_originals_delete(names=names)
