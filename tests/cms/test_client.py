"""The client's address as the site's trusted proxies report it (used by login throttling and feedback limits)."""

import pytest
from django.test import RequestFactory

from cms.client import client_address, client_bucket


def request(remote="192.0.2.10", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxies_the_connection_address_counts_and_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request(forwarded="203.0.113.9")) == "192.0.2.10"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client wrote 6.6.6.6 itself
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "203.0.113.9"),  # reached the inner proxy directly
        (1, "not-an-address", "192.0.2.10"),
        (1, "", "192.0.2.10"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_with_proxies_the_nth_address_from_the_right_counts(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(request(forwarded=forwarded)) == expected


def test_an_ipv6_client_is_counted_by_its_64_network():
    assert client_bucket("2001:db8:1:2:aaaa::1") == client_bucket("2001:db8:1:2:bbbb::7") == "2001:db8:1:2::/64"
    assert client_bucket("2001:db8:1:3::1") != client_bucket("2001:db8:1:2::1")
    assert client_bucket("::ffff:192.0.2.1") == "192.0.2.1"
    assert client_bucket("192.0.2.1") != client_bucket("192.0.2.2")
