"""Delivering a publication to its channel's webhook: one POST per try, every try logged, retries with backoff.

What a receiver gets: one ``multipart/form-data`` POST with two parts, signed as a whole (see publishing.webhook):

- ``manifest`` (application/json): the delivery and publication ids, when it was published, the channel (slug,
  name, kind), the tutorial (title and its link tagged with the channel, ``?ch=<slug>``), the caption, the article
  HTML and the Weibo text, and for every file its role, name, size and SHA-256 (a step picture also its step: the
  article names its pictures ``step-01.jpg`` …, the files beside it in the zip);
- ``package`` (application/zip, ``package-<id>.zip``): the files themselves, under the names the manifest gives.

The zip travels in the request rather than as download links, so a receiver needs no account and no second
request back into the site, and nothing unreleased is ever reachable by URL. ``X-Bangban-Delivery`` carries the
delivery id, the same on every try, so a receiver can ignore a repeat it already has.

A delivery is tried at once, then after each wait in ``webhook.RETRY_DELAYS`` while the receiver answers 5xx,
408 or 429, times out or cannot be reached; any other 4xx (or a redirect) fails it without another try. A
delivered or failed delivery is never sent again by a task; "retry now" in the admin starts a new round of tries.
"""

from __future__ import annotations

import json
import logging
import secrets
import tempfile
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from media.pipeline.social import tagged_url

from . import webhook
from .models import Channel, Delivery, DeliveryTry, PackageFile, Publication

logger = logging.getLogger(__name__)

SPOOL_BYTES = 8 * 1024 * 1024
# How long a try may hold a delivery: after this a try that died with its worker is taken over.
SENDING_LEASE = timedelta(minutes=5)


def webhook_timeout() -> float:
    return float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", webhook.DEFAULT_TIMEOUT_SECONDS))


def webhook_url_check(*, url: str, allow_private: bool) -> webhook.Target:
    """The admin form's and the sender's check (raises webhook.UnsafeURL)."""
    return webhook.check_url(url, allow_private=allow_private)


def delivery_create(*, publication: Publication) -> Delivery | None:
    """A delivery for a new publication, when its channel has a webhook; sent by a task after the commit."""
    channel = publication.channel
    if not channel.webhook_url:
        return None
    delivery = Delivery.objects.create(publication=publication, url=channel.webhook_url, next_try_at=timezone.now())
    _enqueue_on_commit(delivery.pk)
    return delivery


def delivery_retry_now(*, delivery_id: int) -> Delivery:
    """Start a new round of tries for a failed delivery. A delivered one is left alone."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.status != Delivery.Status.FAILED:
            return delivery
        delivery.status = Delivery.Status.QUEUED
        delivery.attempts = 0
        delivery.next_try_at = timezone.now()
        delivery.url = delivery.publication.channel.webhook_url or delivery.url
        delivery.save(update_fields=["status", "attempts", "next_try_at", "url"])
    _enqueue_on_commit(delivery.pk)
    return delivery


def _enqueue_on_commit(delivery_id: int, *, run_after=None) -> None:
    from .delivery_tasks import deliver

    def enqueue() -> None:
        if run_after is not None:
            if deliver.get_backend().supports_defer:
                deliver.using(run_after=run_after).enqueue(delivery_id)
            # A backend that cannot defer (the tests' immediate one) is not asked: deliveries_due sends it later.
            return
        deliver.enqueue(delivery_id)

    transaction.on_commit(enqueue)


def deliveries_due() -> list[int]:
    """Queue every delivery whose next try is due (for a site without a deferring queue, or after an outage)."""
    now = timezone.now()
    ids = list(
        Delivery.objects.filter(status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING], next_try_at__lte=now)
        .order_by("next_try_at")
        .values_list("pk", flat=True)
    )
    for delivery_id in ids:
        _enqueue_on_commit(delivery_id)
    return ids


def _claim(delivery_id: int) -> Delivery | None:
    """Take the delivery for one try, or None when it is done, not due, or another worker holds it."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .select_related("publication__channel", "publication__package__tutorial")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in (Delivery.Status.DELIVERED, Delivery.Status.FAILED):
            return None
        if delivery.next_try_at and delivery.next_try_at > now:
            return None  # a second task for the same try, or one that came early: the booked one will send it
        delivery.status = Delivery.Status.SENDING
        delivery.attempts += 1
        delivery.next_try_at = now + SENDING_LEASE
        delivery.save(update_fields=["status", "attempts", "next_try_at"])
    return delivery


def delivery_send(*, delivery_id: int) -> str:
    """One try of a delivery. Returns its status afterwards ("skipped" when there was nothing to do)."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return "skipped"
    channel = delivery.publication.channel
    started = timezone.now()
    try:
        target = webhook_url_check(url=delivery.url, allow_private=channel.allow_private_webhook)
        if not channel.webhook_secret:
            raise webhook.WebhookError(_("The channel has no webhook secret to sign with."))
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as body:
            content_type = _write_body(delivery, body)
            length = body.tell()
            timestamp = int(started.timestamp())
            headers = {
                "Content-Type": content_type,
                webhook.TIMESTAMP_HEADER: str(timestamp),
                webhook.SIGNATURE_HEADER: webhook.sign_file(
                    secret=channel.webhook_secret, timestamp=timestamp, handle=body
                ),
                webhook.DELIVERY_HEADER: str(delivery.pk),
            }
            outcome = webhook.post(target, body=body, length=length, headers=headers, timeout=webhook_timeout())
    except webhook.Unresolvable as exc:
        outcome = webhook.Outcome(webhook.Verdict.RETRY, None, str(exc), 0)
    except (webhook.WebhookError, PackageChanged) as exc:
        outcome = webhook.Outcome(webhook.Verdict.FAILED, None, str(exc), 0)
    return _record(delivery, started, outcome)


def _record(delivery: Delivery, started, outcome: webhook.Outcome) -> str:
    retry_at = None
    with transaction.atomic():
        number = (DeliveryTry.objects.filter(delivery=delivery).order_by("-number").values_list("number", flat=True)
                  .first() or 0) + 1  # fmt: skip
        DeliveryTry.objects.create(
            delivery=delivery,
            number=number,
            at=started,
            status_code=outcome.status_code,
            error=outcome.error[:2000],
            duration_ms=outcome.duration_ms,
        )
        delivery.last_error = outcome.error[:2000]
        if outcome.verdict is webhook.Verdict.DELIVERED:
            delivery.status = Delivery.Status.DELIVERED
            delivery.next_try_at = None
        else:
            delay = webhook.retry_delay(delivery.attempts) if outcome.verdict is webhook.Verdict.RETRY else None
            if delay is None:
                delivery.status = Delivery.Status.FAILED
                delivery.next_try_at = None
            else:
                delivery.status = Delivery.Status.QUEUED
                retry_at = delivery.next_try_at = timezone.now() + delay
        delivery.save(update_fields=["status", "next_try_at", "last_error"])
        if retry_at is not None:
            _enqueue_on_commit(delivery.pk, run_after=retry_at)
    if delivery.status == Delivery.Status.FAILED:
        logger.warning("Webhook delivery %s failed after %s tries: %s", delivery.pk, number, outcome.error)
    return delivery.status


class PackageChanged(Exception):
    pass


def _write_body(delivery: Delivery, out) -> str:
    from .services import package_zip_stream

    publication = delivery.publication
    package = publication.package
    channel: Channel = publication.channel
    rows = list(PackageFile.objects.filter(package=package).exclude(file="").order_by("role", "step"))
    for row in rows:
        published = (publication.files or {}).get(row.key)
        if published and published != row.sha256:
            raise PackageChanged(
                _("The file %(name)s changed since it was published; publish the package again to send it.")
                % {"name": PurePosixPath(row.file.name).name}
            )
    manifest = {
        "delivery": delivery.pk,
        "publication": publication.pk,
        "published_at": publication.published_at.isoformat(),
        "channel": {"slug": channel.slug, "name": channel.name, "kind": channel.kind},
        "tutorial": {"title": package.tutorial.title, "url": tutorial_link(package=package, channel=channel)},
        "caption": package.caption,
        "article_html": package.article_html,
        "weibo_text": package.weibo_text,
        "files": [
            {
                "role": row.role,
                **({"step": row.step} if row.step else {}),
                "name": PurePosixPath(row.file.name).name,
                "size": row.size,
                "sha256": row.sha256,
            }
            for row in rows
        ],
        "package": f"package-{package.pk}.zip",
    }
    with tempfile.NamedTemporaryFile(suffix=".zip") as zipped:
        for chunk in package_zip_stream(package=package):
            zipped.write(chunk)
        zipped.flush()
        parts = [
            webhook.Part("manifest", "application/json", data=json.dumps(manifest, ensure_ascii=False).encode()),
            webhook.Part("package", "application/zip", filename=manifest["package"], path=zipped.name),
        ]
        return webhook.write_multipart(parts, out, boundary=f"bangban-{secrets.token_hex(16)}")


def tutorial_link(*, package, channel: Channel) -> str:
    tutorial = package.tutorial
    url = tutorial.full_url or (settings.WAGTAILADMIN_BASE_URL.rstrip("/") + (tutorial.url or "/"))
    return tagged_url(url, channel.slug)
