import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import StepFeedback, TutorialPage


class RateLimited(Exception):
    pass


def _client_bucket(client_key: str) -> str:
    # Only a keyed hash lives in the cache, and only for the rate-limit window; it is never stored or logged.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_key}".encode()).hexdigest()[:32]
    return f"step-feedback:{digest}"


def step_feedback_record(*, page: TutorialPage, step_id: str, helpful: bool, client_key: str) -> StepFeedback:
    if step_id not in page.step_ids():
        raise ValidationError(_("This step does not exist on the page."))
    limit, window = settings.STEP_FEEDBACK_RATE
    bucket = _client_bucket(client_key)
    cache.add(bucket, 0, timeout=window)
    try:
        used = cache.incr(bucket)
    except ValueError:
        cache.set(bucket, 1, timeout=window)
        used = 1
    if used > limit:
        raise RateLimited
    return StepFeedback.objects.create(page=page, step_id=step_id, helpful=helpful)
