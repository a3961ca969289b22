"""The webhook publisher's pure parts: signing, the address check, one POST and what its answer means.

No Django here. A receiver checks a delivery with :func:`verify`: the signature is HMAC-SHA256, keyed with the
channel's secret, over ``"<timestamp>.<body>"`` (the timestamp in whole Unix seconds, the body as sent), written
``sha256=<hex>`` in ``X-Bangban-Signature`` with the timestamp in ``X-Bangban-Timestamp``.

A webhook URL is checked before every POST: http or https only, and every address its host resolves to must be
public (no loopback, private, shared, link-local, multicast, reserved or unspecified address, IPv4 or IPv6,
IPv4-mapped included) unless the channel allows private addresses. The POST then connects to an address from
that check, not to a second lookup, so a DNS answer that changes in between (rebinding) cannot send it elsewhere.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import BinaryIO
from urllib.parse import urlsplit

SIGNATURE_HEADER = "X-Bangban-Signature"
TIMESTAMP_HEADER = "X-Bangban-Timestamp"
DELIVERY_HEADER = "X-Bangban-Delivery"
SIGNATURE_PREFIX = "sha256="
# How far a receiver lets a timestamp stray from its own clock, either way.
DEFAULT_TOLERANCE_SECONDS = 300
# The wait after the 1st, 2nd … failed try; one try more than there are waits, then the delivery has failed.
RETRY_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=6),
)
MAX_TRIES = len(RETRY_DELAYS) + 1
DEFAULT_TIMEOUT_SECONDS = 30.0
USER_AGENT = "Bangban-Webhook/1"

Resolver = Callable[..., list]


class WebhookError(Exception):
    """A problem a person can act on; ``str(error)`` is the readable reason."""


class UnsafeURL(WebhookError):
    pass


class Unresolvable(UnsafeURL):
    """The host has no address now; it may have later, so a delivery tries again."""


class Verdict(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"  # the receiver may take it later: 5xx, 408, 429, time-outs, connection errors
    FAILED = "failed"  # the receiver refused it (other 4xx, redirects): sending it again would not help


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (the addresses found by the check) and what to ask for."""

    url: str
    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    status_code: int | None
    error: str
    duration_ms: int


# --- signing ------------------------------------------------------------------------------------------------


def _key(secret: str | bytes) -> bytes:
    if not secret:
        raise WebhookError("A webhook needs a secret to sign with.")
    return secret.encode() if isinstance(secret, str) else secret


def signer(*, secret: str | bytes, timestamp: int):
    """An HMAC object already fed ``"<timestamp>."``; feed it the body (in pieces, if large)."""
    return hmac.new(_key(secret), f"{int(timestamp)}.".encode(), hashlib.sha256)


def sign(*, secret: str | bytes, timestamp: int, body: bytes) -> str:
    mac = signer(secret=secret, timestamp=timestamp)
    mac.update(body)
    return SIGNATURE_PREFIX + mac.hexdigest()


def signature_headers(*, secret: str | bytes, body: bytes, now: float | None = None) -> dict[str, str]:
    timestamp = int(time.time() if now is None else now)
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(secret=secret, timestamp=timestamp, body=body)}


def verify(
    *,
    secret: str | bytes,
    body: bytes,
    timestamp: str | None,
    signature: str | None,
    now: float | None = None,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """Whether ``signature`` is the secret's signature of ``body`` at ``timestamp``, and the timestamp is within
    ``tolerance`` seconds of ``now`` (so a captured delivery cannot be replayed later)."""
    if not timestamp or not signature or not timestamp.isascii() or not timestamp.isdigit():
        return False
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance:
        return False
    expected = sign(secret=secret, timestamp=int(timestamp), body=body)
    return hmac.compare_digest(expected.encode(), signature.strip().encode("utf-8", "replace"))


# --- the address check --------------------------------------------------------------------------------------


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def address_refusal(address: str) -> str:
    """Why a webhook may not be sent to ``address`` ("" when it is a public address)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone (fe80::1%eth0) names a local link
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        nat64 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in _NAT64 else None
        for embedded in (ip.ipv4_mapped, ip.sixtofour, nat64):
            if embedded is not None:
                reason = address_refusal(str(embedded))
                if reason:
                    return reason
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
    )
    for reason, hit in checks:
        if hit:
            return reason
    if not ip.is_global:
        return "not public"
    return ""


def check_url(url: str, *, allow_private: bool = False, resolve: Resolver = socket.getaddrinfo) -> Target:
    """Check a webhook URL and resolve its host. Raises :class:`UnsafeURL` with the reason."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(f"The webhook URL cannot be read: {exc}.") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeURL("The webhook URL must start with http:// or https://.")
    host = parts.hostname or ""
    if not host:
        raise UnsafeURL("The webhook URL has no host name.")
    if parts.username is not None or parts.password is not None:
        raise UnsafeURL("The webhook URL must not hold a user name or password; the signature proves the sender.")
    port = port or (443 if scheme == "https" else 80)
    try:
        infos = resolve(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise Unresolvable(f"The host {host} of the webhook URL could not be resolved ({exc}).") from None
    addresses = tuple(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise Unresolvable(f"The host {host} of the webhook URL has no address.")
    if not allow_private:
        for address in addresses:
            reason = address_refusal(address)
            if reason:
                raise UnsafeURL(
                    f"The webhook URL's host {host} resolves to {address}, a {reason} address; webhooks go only to "
                    "public addresses unless an administrator allows private ones for this channel."
                )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(url=url, scheme=scheme, host=host, port=port, path=path, addresses=addresses)


# --- sending ------------------------------------------------------------------------------------------------


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float, context: ssl.SSLContext):
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the URL's host name, whatever address was connected to.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def classify(status_code: int) -> Verdict:
    if 200 <= status_code < 300:
        return Verdict.DELIVERED
    if status_code >= 500 or status_code in (408, 425, 429):
        return Verdict.RETRY
    return Verdict.FAILED


def retry_delay(tries: int) -> timedelta | None:
    """The wait before the next try after ``tries`` failed ones; None when no try is left."""
    if tries < 1 or tries > len(RETRY_DELAYS):
        return None
    return RETRY_DELAYS[tries - 1]


def post(
    target: Target,
    *,
    body: bytes | BinaryIO,
    length: int | None = None,
    headers: dict[str, str],
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ssl_context: ssl.SSLContext | None = None,
) -> Outcome:
    """POST ``body`` to ``target`` (connecting to its checked addresses in turn) and say what the answer means.

    Redirects are not followed (they would lead past the address check). Never raises for network trouble.
    """
    if length is None:
        length = len(body) if isinstance(body, bytes | bytearray) else None
    if length is None:
        raise WebhookError("The length of a streamed body must be given.")
    sent_headers = {"User-Agent": USER_AGENT, "Content-Length": str(length), **headers}
    started = time.monotonic()
    error = ""
    for address in target.addresses:
        if target.scheme == "https":
            context = ssl_context or ssl.create_default_context()
            conn = _PinnedHTTPSConnection(target.host, target.port, address=address, timeout=timeout, context=context)
        else:
            conn = _PinnedHTTPConnection(target.host, target.port, address=address, timeout=timeout)
        try:
            try:
                conn.connect()
            except OSError as exc:
                error = _network_reason(exc)
                continue  # the next address of the host, as a browser would
            if not isinstance(body, bytes | bytearray):
                body.seek(0)
            conn.request("POST", target.path, body=body, headers=sent_headers)
            response = conn.getresponse()
            response.read(64 * 1024)  # a little of the answer, so the connection closes cleanly
            status = response.status
            verdict = classify(status)
            reason = "" if verdict is Verdict.DELIVERED else f"HTTP {status} {response.reason}".strip()
            if 300 <= status < 400:
                reason += " (redirects are not followed)"
            return Outcome(verdict, status, reason, _elapsed(started))
        except (OSError, http.client.HTTPException) as exc:
            return Outcome(Verdict.RETRY, None, _network_reason(exc), _elapsed(started))
        finally:
            conn.close()
    return Outcome(Verdict.RETRY, None, error or "No address could be reached.", _elapsed(started))


def _network_reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "Timed out."
    if isinstance(exc, ConnectionRefusedError):
        return "Connection refused."
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc}."
    return f"{type(exc).__name__}: {exc}"


def _elapsed(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


# --- the body -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    name: str
    content_type: str
    filename: str = ""
    data: bytes | None = None
    path: str | None = None  # a file read in pieces instead of ``data``


def write_multipart(parts: Iterable[Part], out: BinaryIO, *, boundary: str) -> str:
    """Write a multipart/form-data body to ``out``; returns its Content-Type."""
    for part in parts:
        disposition = f'form-data; name="{part.name}"'
        if part.filename:
            disposition += f'; filename="{_quoted(part.filename)}"'
        out.write(
            f"--{boundary}\r\nContent-Disposition: {disposition}\r\nContent-Type: {part.content_type}\r\n\r\n".encode()
        )
        if part.path is not None:
            with open(part.path, "rb") as handle:
                while chunk := handle.read(1024 * 1024):
                    out.write(chunk)
        else:
            out.write(part.data or b"")
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}"


def _quoted(name: str) -> str:
    return name.replace("\\", "_").replace('"', "_").replace("\r", "_").replace("\n", "_")


def sign_file(*, secret: str | bytes, timestamp: int, handle: BinaryIO) -> str:
    """The signature of a body kept in a file, read in pieces."""
    mac = signer(secret=secret, timestamp=timestamp)
    handle.seek(0)
    while chunk := handle.read(1024 * 1024):
        mac.update(chunk)
    handle.seek(0)
    return SIGNATURE_PREFIX + mac.hexdigest()
