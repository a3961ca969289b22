"""The channel form's webhook check, the delivery log and "retry now" in the admin, and who may use them."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cms import roles
from publishing.models import Channel, Delivery
from tests import factories

from .helpers import publish
from .receiver import Receiver

SECRET = "admin-test-secret"
pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    server = Receiver(secret=SECRET).start()
    yield server
    server.stop()


@pytest.fixture
def channel():
    return Channel.objects.create(name="微博", slug="weibo", kind=Channel.Kind.WEIBO)


def channel_data(channel, **changes) -> dict:
    data = {
        "name": channel.name,
        "slug": channel.slug,
        "kind": channel.kind,
        "width": channel.width,
        "height": channel.height,
        "max_video_seconds": "",
        "caption_max_chars": channel.caption_max_chars,
        "title_max_chars": channel.title_max_chars,
        "max_hashtags": channel.max_hashtags,
        "hashtag_style": channel.hashtag_style,
        "hashtags": "",
        "webhook_url": "",
        "webhook_secret": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def edit(client, channel, **changes):
    return client.post(
        reverse("wagtailsnippets_publishing_channel:edit", args=(channel.pk,)), channel_data(channel, **changes)
    )


@pytest.mark.parametrize(
    "url", ["http://10.0.0.7/hook", "http://192.168.1.20:8080/", "http://169.254.169.254/latest", "http://[::1]/x",
            "http://127.0.0.1:9/", "http://localhost/hook"],
)  # fmt: skip
def test_a_private_webhook_url_is_refused_with_a_clear_error(client, channel, url):
    client.force_login(factories.make_user("root", superuser=True))
    response = edit(client, channel, webhook_url=url, webhook_secret=SECRET)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This webhook URL cannot be used" in page or "无法使用" in page
    channel.refresh_from_db()
    assert channel.webhook_url == ""


def test_a_superuser_may_allow_a_private_address(client, channel):
    client.force_login(factories.make_user("root", superuser=True))
    response = edit(
        client, channel, webhook_url="http://10.0.0.7/hook", webhook_secret=SECRET, allow_private_webhook="on"
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.webhook_url == "http://10.0.0.7/hook" and channel.allow_private_webhook


def test_a_public_address_is_saved_and_a_secret_is_required(client, channel):
    client.force_login(factories.make_user("root", superuser=True))
    response = edit(client, channel, webhook_url="http://93.184.216.34/hook", webhook_secret="")
    assert response.status_code == 200 and Channel.objects.get(pk=channel.pk).webhook_url == ""
    response = edit(client, channel, webhook_url="http://93.184.216.34/hook", webhook_secret=SECRET)
    assert response.status_code == 302 and Channel.objects.get(pk=channel.pk).webhook_url == "http://93.184.216.34/hook"


def test_only_a_superuser_can_allow_private_addresses(client, channel):
    officer = factories.make_user("chief", roles.PUBLICITY_OFFICERS)
    officer.user_permissions.add(Permission.objects.get(codename="change_channel"))
    client.force_login(officer)
    response = edit(
        client, channel, webhook_url="http://10.0.0.7/hook", webhook_secret=SECRET, allow_private_webhook="on"
    )
    assert response.status_code == 200
    channel.refresh_from_db()
    assert not channel.allow_private_webhook and channel.webhook_url == ""


def failed_delivery(tutorial, receiver, django_capture_on_commit_callbacks) -> Delivery:
    channel = Channel.objects.create(
        name="抖音", slug="douyin", kind=Channel.Kind.VERTICAL_VIDEO, webhook_url=receiver.url,
        webhook_secret=SECRET, allow_private_webhook=True,
    )  # fmt: skip
    receiver.answers = [500, 404]
    from publishing.delivery_services import delivery_create, delivery_send

    with django_capture_on_commit_callbacks(execute=True):
        delivery = delivery_create(publication=publish(tutorial, channel))
    Delivery.objects.filter(pk=delivery.pk).update(next_try_at=None)
    delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    return delivery


def test_the_log_shows_each_try_and_retry_now_sends_again(
    client, tutorial, receiver, django_capture_on_commit_callbacks
):
    delivery = failed_delivery(tutorial, receiver, django_capture_on_commit_callbacks)
    client.force_login(factories.make_user("publicity", roles.PUBLICITY_OFFICERS))
    listing = client.get(reverse("publishing_delivery_log"), {"package": delivery.publication.package_id})
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "#1 HTTP 500" in html and "#2 HTTP 404" in html and delivery.url in html
    detail = client.get(reverse("publishing_delivery_detail", args=(delivery.pk,))).content.decode()
    assert 'data-try="1"' in detail and 'data-try="2"' in detail and "HTTP 404 Not Found" in detail
    assert "data-retry" in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("publishing_delivery_retry", args=(delivery.pk,)))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED and len(receiver.received) == 3
    detail = client.get(reverse("publishing_delivery_detail", args=(delivery.pk,))).content.decode()
    assert 'data-try="3"' in detail and "data-retry" not in detail
    # The package's build panel links to its log.
    edit_page = client.get(reverse("wagtailsnippets_publishing_package:edit", args=(delivery.publication.package_id,)))
    assert (
        f"{reverse('publishing_delivery_log')}?package={delivery.publication.package_id}" in edit_page.content.decode()
    )


def test_people_without_the_permission_see_no_log_and_cannot_retry(
    client, tutorial, receiver, django_capture_on_commit_callbacks
):
    delivery = failed_delivery(tutorial, receiver, django_capture_on_commit_callbacks)
    client.force_login(factories.make_user("editor", roles.EDITORS))
    assert client.get(reverse("publishing_delivery_log")).status_code in (302, 403)
    assert client.get(reverse("publishing_delivery_detail", args=(delivery.pk,))).status_code in (302, 403)
    assert client.post(reverse("publishing_delivery_retry", args=(delivery.pk,))).status_code in (302, 403)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED and len(receiver.received) == 2
