from django_tasks import task

from .renditions import SCREENSHOT_FILTERS


@task(queue_name="default")
def tutorial_prepare_images(page_id: int) -> int:
    """Create the screenshot renditions of a published tutorial, so no citizen's request waits for them.

    Idempotent: renditions that exist are reused. Returns the number of screenshots prepared.
    """
    from .models import TutorialPage

    page = TutorialPage.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    images = page.screenshot_images()
    for image in images:
        image.get_renditions(*SCREENSHOT_FILTERS)
    return len(images)


@task(queue_name="media")
def tutorial_chapter_posters(page_id: int) -> int:
    """Poster frames for the video chapters of a published tutorial's steps (ffmpeg, on the media queue).

    Idempotent: posters that exist are kept. Returns the number made.
    """
    from media.services import video_chapter_posters_make

    from .models import TutorialPage

    page = TutorialPage.objects.live().filter(pk=page_id).first()
    if page is None:
        return 0
    videos = {}
    for block in page.steps:
        video = block.value.get("video")
        if video is not None:
            videos[block.id] = video.pk
    by_video: dict[int, list] = {}
    for block_id, chapter in page.step_chapters().items():
        by_video.setdefault(videos[block_id], []).append((chapter.start, chapter.end))
    return sum(
        video_chapter_posters_make(asset_id=video_id, chapters=chapters) for video_id, chapters in by_video.items()
    )
