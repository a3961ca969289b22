"""Delivering a publication to a real HTTP server on 127.0.0.1 that checks every signature."""

import hashlib
import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from publishing import webhook
from publishing.delivery_services import delivery_create, delivery_retry_now, delivery_send
from publishing.delivery_tasks import deliver
from publishing.models import Channel, Delivery, PackageFile

from .helpers import FILES, publish
from .receiver import Receiver

SECRET = "channel-secret-抖音"
pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    server = Receiver(secret=SECRET).start()
    yield server
    server.stop()


@pytest.fixture
def channel(receiver):
    # The receiver listens on loopback, so this channel allows a private webhook address (an admin's choice).
    return Channel.objects.create(
        name="抖音", slug="douyin", kind=Channel.Kind.VERTICAL_VIDEO, webhook_url=receiver.url,
        webhook_secret=SECRET, allow_private_webhook=True,
    )  # fmt: skip


def start(publication, django_capture_on_commit_callbacks) -> Delivery:
    with django_capture_on_commit_callbacks(execute=True):
        delivery = delivery_create(publication=publication)
    delivery.refresh_from_db()
    return delivery


def due_now(delivery: Delivery) -> None:
    """The booked retry time has come (the worker would run the deferred task now)."""
    Delivery.objects.filter(pk=delivery.pk).update(next_try_at=timezone.now() - timedelta(seconds=1))


def test_delivered_package_is_signed_and_carries_the_manifest_and_zip(
    tutorial, channel, receiver, django_capture_on_commit_callbacks
):
    delivery = start(publish(tutorial, channel), django_capture_on_commit_callbacks)
    assert delivery.status == Delivery.Status.DELIVERED and delivery.attempts == 1
    (got,) = receiver.received
    assert got.verified
    assert got.headers[webhook.DELIVERY_HEADER] == str(delivery.pk)
    parts = got.parts()
    manifest = json.loads(parts["manifest"])
    assert manifest["channel"]["slug"] == "douyin"
    assert manifest["tutorial"]["url"].endswith(tutorial.url + "?ch=douyin")
    assert manifest["caption"] == "查社保 #社保"
    by_role = {entry["role"]: entry for entry in manifest["files"]}
    assert by_role["cover"]["sha256"] == hashlib.sha256(FILES["cover"][1]).hexdigest()
    assert by_role["cover"]["size"] == len(FILES["cover"][1])
    with zipfile.ZipFile(io.BytesIO(parts["package"])) as archive:
        assert archive.read(by_role["cover"]["name"]) == FILES["cover"][1]
        assert archive.read(by_role["caption"]["name"]) == FILES["caption"][1]
    # Idempotent: the task run again (a duplicate in the queue) sends nothing.
    assert deliver.enqueue(delivery.pk).return_value == "skipped"
    assert len(receiver.received) == 1


def test_a_500_is_retried_after_the_backoff_and_the_log_shows_each_try(
    tutorial, channel, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [500, 503]
    delivery = start(publish(tutorial, channel), django_capture_on_commit_callbacks)
    assert delivery.status == Delivery.Status.QUEUED and delivery.last_error == "HTTP 500 Internal Server Error"
    assert timezone.now() + timedelta(seconds=25) < delivery.next_try_at <= timezone.now() + timedelta(seconds=30)
    # Not due yet: a task that comes early sends nothing.
    assert delivery_send(delivery_id=delivery.pk) == "skipped"
    assert len(receiver.received) == 1
    due_now(delivery)
    assert delivery_send(delivery_id=delivery.pk) == Delivery.Status.QUEUED
    delivery.refresh_from_db()
    assert delivery.next_try_at > timezone.now() + timedelta(seconds=100)  # the second wait is longer
    due_now(delivery)
    assert delivery_send(delivery_id=delivery.pk) == Delivery.Status.DELIVERED
    tries = list(delivery.tries.order_by("number").values_list("number", "status_code", "error"))
    assert tries == [
        (1, 500, "HTTP 500 Internal Server Error"),
        (2, 503, "HTTP 503 Service Unavailable"),
        (3, 200, ""),
    ]
    assert [item.verified for item in receiver.received] == [True, True, True]
    assert len({item.headers[webhook.DELIVERY_HEADER] for item in receiver.received}) == 1


def test_a_retry_is_booked_on_a_real_queue_for_its_time(
    tutorial, channel, receiver, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    receiver.answers = [500]
    publication = publish(tutorial, channel)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "publishing"]}}
    with django_capture_on_commit_callbacks(execute=True):
        delivery = delivery_create(publication=publication)
    assert DBTaskResult.objects.filter(task_path="publishing.delivery_tasks.deliver").count() == 1  # to send now
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_send(delivery_id=delivery.pk) == Delivery.Status.QUEUED
    delivery.refresh_from_db()
    booked = DBTaskResult.objects.get(task_path="publishing.delivery_tasks.deliver")
    assert booked.run_after == delivery.next_try_at and booked.args_kwargs["args"] == [delivery.pk]


def test_a_4xx_is_not_retried(tutorial, channel, receiver, django_capture_on_commit_callbacks):
    receiver.answers = [422]
    delivery = start(publish(tutorial, channel), django_capture_on_commit_callbacks)
    assert delivery.status == Delivery.Status.FAILED and delivery.next_try_at is None
    assert delivery.last_error == "HTTP 422 Unprocessable Entity"
    due_now(delivery)
    assert delivery_send(delivery_id=delivery.pk) == "skipped"
    assert len(receiver.received) == 1 and delivery.tries.count() == 1


def test_tries_stop_after_the_last_backoff(tutorial, channel, receiver, django_capture_on_commit_callbacks):
    receiver.answers = [500] * 20
    delivery = start(publish(tutorial, channel), django_capture_on_commit_callbacks)
    for _ in range(webhook.MAX_TRIES + 2):
        due_now(delivery)
        delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.tries.count() == webhook.MAX_TRIES == len(receiver.received)


def test_retry_now_starts_a_new_round_for_a_failed_delivery(
    tutorial, channel, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [410]
    delivery = start(publish(tutorial, channel), django_capture_on_commit_callbacks)
    assert delivery.status == Delivery.Status.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        delivery_retry_now(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    assert list(delivery.tries.values_list("number", "status_code")) == [(1, 410), (2, 200)]
    # A delivered one is left alone.
    with django_capture_on_commit_callbacks(execute=True):
        delivery_retry_now(delivery_id=delivery.pk)
    assert len(receiver.received) == 2


def test_a_private_address_is_refused_at_send_time(tutorial, channel, receiver, django_capture_on_commit_callbacks):
    publication = publish(tutorial, channel)
    Channel.objects.filter(pk=channel.pk).update(allow_private_webhook=False)
    publication.channel.refresh_from_db()
    delivery = start(publication, django_capture_on_commit_callbacks)
    assert delivery.status == Delivery.Status.FAILED
    assert "127.0.0.1" in delivery.last_error and "loopback" in delivery.last_error
    assert receiver.received == []
    (attempt,) = delivery.tries.all()
    assert attempt.status_code is None and "loopback" in attempt.error


def test_a_file_changed_since_publication_is_not_sent(tutorial, channel, receiver, django_capture_on_commit_callbacks):
    publication = publish(tutorial, channel)
    PackageFile.objects.filter(package=publication.package, role="cover").update(sha256="0" * 64)
    delivery = start(publication, django_capture_on_commit_callbacks)
    assert delivery.status == Delivery.Status.FAILED and "cover.png" in delivery.last_error
    assert receiver.received == []


def test_no_webhook_no_delivery(tutorial, channel, django_capture_on_commit_callbacks):
    Channel.objects.filter(pk=channel.pk).update(webhook_url="")
    channel.refresh_from_db()
    assert delivery_create(publication=publish(tutorial, channel)) is None


def test_recording_a_publication_sends_it_to_the_webhook(
    tutorial, channel, receiver, django_capture_on_commit_callbacks
):
    from publishing.services import publication_record

    package = publish(tutorial, channel).package
    with django_capture_on_commit_callbacks(execute=True):
        publication = publication_record(package_id=package.pk, user=None)
    (delivery,) = publication.deliveries.all()
    assert delivery.status == Delivery.Status.DELIVERED and delivery.url == receiver.url
    assert receiver.received[-1].verified


def test_deliveries_due_sends_what_is_due_and_nothing_else(
    tutorial, channel, receiver, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    receiver.answers = [500]
    delivery = start(publish(tutorial, channel), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("deliveries_due", stdout=io.StringIO())
    assert len(receiver.received) == 1  # its retry is not due yet
    due_now(delivery)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("deliveries_due", stdout=out)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED and len(receiver.received) == 2
    assert re.search(r"\b1\b", out.getvalue())
