import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import StepFeedback, TutorialPage


class RateLimited(Exception):
    pass


def _bucket(kind: str, key: str) -> str:
    # Only a keyed hash lives in the cache, and only for the rate-limit window; it is never stored or logged.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{kind}:{key}".encode()).hexdigest()[:32]
    return f"step-feedback:{kind}:{digest}"


def _count(bucket: str, window: int) -> int:
    cache.add(bucket, 0, timeout=window)
    try:
        return cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.set(bucket, 1, timeout=window)
        return 1


def step_feedback_record(
    *, page: TutorialPage, step_id: str, helpful: bool, client: str, reason: str = ""
) -> StepFeedback:
    """Store one anonymous vote. `client` is what the limit counts (cms.client.client_bucket of the address).
    `reason` is one of StepFeedback.Reason, kept only with a "No".

    Two limits: each client gets STEP_FEEDBACK_RATE votes a window across the site, and each page takes at most
    STEP_FEEDBACK_PAGE_RATE votes a window from everyone together, so clients with many addresses cannot bend
    one tutorial's figures.
    """
    if step_id not in page.step_ids():
        raise ValidationError(_("This step does not exist on the page."))
    if reason and reason not in StepFeedback.Reason.values:
        raise ValidationError(_("Your answer could not be read. Please try again."))
    limit, window = settings.STEP_FEEDBACK_RATE
    page_limit, page_window = settings.STEP_FEEDBACK_PAGE_RATE
    if _count(_bucket("client", client), window) > limit:
        raise RateLimited
    if _count(_bucket("page", str(page.pk)), page_window) > page_limit:
        raise RateLimited
    return StepFeedback.objects.create(page=page, step_id=step_id, helpful=helpful, reason="" if helpful else reason)


def tutorial_chapters_save(*, page: TutorialPage, user, times: dict[str, tuple[float | None, float | None]]):
    """A new draft revision of the page with the chapter start and end (seconds) of the steps named by block id.

    Nothing is published: the revision goes through the usual review. Raises ValidationError naming the step.
    """
    from django.db import transaction

    latest = page.get_latest_revision_as_object()
    raw = latest.steps.raw_data
    numbers = {block["id"]: number for number, block in enumerate(raw, start=1)}
    unknown = set(times) - set(numbers)
    if unknown:
        raise ValidationError(_("These steps are no longer on the page; reload and try again."))
    for block in raw:
        if block["id"] not in times:
            continue
        start, end = times[block["id"]]
        if end is not None and end <= (start or 0):
            raise ValidationError(
                _("Step %(number)s: the end must come after the start.") % {"number": numbers[block["id"]]}
            )
        block["value"]["video_start"] = start
        block["value"]["video_end"] = end
    latest.steps = raw
    with transaction.atomic():
        return latest.save_revision(user=user, log_action=True)
