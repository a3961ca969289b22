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
