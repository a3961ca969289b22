"""Who is asking: the client's address as the site's own proxies report it.

Login throttling (django-axes, AXES_CLIENT_IP_CALLABLE) and the step feedback limit both count by this address, so
a site behind a load balancer limits people rather than its load balancer, and a client cannot pick its own
address by sending an X-Forwarded-For header.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's IP address.

    With TRUSTED_PROXY_COUNT = 0 this is REMOTE_ADDR. With N trusted proxies, each appends the address it was
    reached from to X-Forwarded-For, so the Nth entry from the right was written by the outermost trusted proxy;
    everything left of it was sent by the client and can be anything.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            # Fewer entries than proxies: the request skipped an outer proxy, and the leftmost was still
            # written by one of ours.
            found = _valid(forwarded[-count] if len(forwarded) >= count else forwarded[0])
            if found:
                return found
    return _valid(remote) or "0.0.0.0"


def client_bucket(address: str) -> str:
    """The unit a limit counts: one IPv4 address, or one IPv6 /64 (a single line or household gets a whole /64)."""
    ip = ipaddress.ip_address(address)
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))
