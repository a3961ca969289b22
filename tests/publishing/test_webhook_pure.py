"""publishing.webhook without Django: signatures, the address check, one POST to a real server on 127.0.0.1."""

import io
import socket
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publishing import webhook

from .receiver import Receiver

SECRET = "s3cret-for-tests"


# --- signatures ---------------------------------------------------------------------------------------------


def test_a_signature_made_by_sign_is_verified():
    now = 1_800_000_000
    headers = webhook.signature_headers(secret=SECRET, body=b'{"a": 1}', now=now)
    assert headers[webhook.SIGNATURE_HEADER].startswith("sha256=")
    assert webhook.verify(
        secret=SECRET,
        body=b'{"a": 1}',
        timestamp=headers[webhook.TIMESTAMP_HEADER],
        signature=headers[webhook.SIGNATURE_HEADER],
        now=now + 10,
    )


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"body": b'{"a": 2}'}, "body changed"),
        ({"secret": "another"}, "wrong secret"),
        ({"signature": "sha256=" + "0" * 64}, "made-up signature"),
        ({"signature": ""}, "no signature"),
        ({"timestamp": None}, "no timestamp"),
        ({"timestamp": "1800000001"}, "timestamp changed after signing"),
        ({"timestamp": "-1800000000"}, "not digits"),
        ({"timestamp": "１８００００００００"}, "full-width digits"),
        ({"now": 1_800_000_000 + 301}, "too old: a replay"),
        ({"now": 1_800_000_000 - 301}, "from the future"),
    ],
)
def test_verify_refuses(change, why):
    body = b'{"a": 1}'
    headers = webhook.signature_headers(secret=SECRET, body=body, now=1_800_000_000)
    args = {
        "secret": SECRET,
        "body": body,
        "timestamp": headers[webhook.TIMESTAMP_HEADER],
        "signature": headers[webhook.SIGNATURE_HEADER],
        "now": 1_800_000_000,
    }
    assert webhook.verify(**args), "the unchanged delivery must pass"
    args.update(change)
    assert not webhook.verify(**args), why


def test_signing_a_file_in_pieces_matches_signing_the_bytes():
    body = bytes(range(256)) * 10_000
    assert webhook.sign_file(secret=SECRET, timestamp=5, handle=io.BytesIO(body)) == webhook.sign(
        secret=SECRET, timestamp=5, body=body
    )


def test_no_secret_no_signature():
    with pytest.raises(webhook.WebhookError):
        webhook.sign(secret="", timestamp=1, body=b"x")


# --- the address check --------------------------------------------------------------------------------------

REFUSED = {
    "10.0.0.1": "private",
    "10.255.255.254": "private",
    "172.16.0.1": "private",
    "172.31.255.1": "private",
    "192.168.1.1": "private",
    "127.0.0.1": "loopback",
    "127.8.9.10": "loopback",
    "169.254.169.254": "link-local",
    "0.0.0.0": "unspecified",
    "100.64.0.1": "not public",
    "224.0.0.1": "multicast",
    "240.0.0.1": "reserved",
    "::1": "loopback",
    "::": "unspecified",
    "fe80::1": "link-local",
    "fe80::1%eth0": "link-local",
    "fc00::1": "private",
    "ff02::1": "multicast",
    "::ffff:127.0.0.1": "loopback",
    "::ffff:10.0.0.1": "private",
    "::ffff:169.254.169.254": "link-local",
    "2002:7f00:1::": "loopback",  # 6to4 around 127.0.0.1
    "64:ff9b::a00:1": "private",  # NAT64 around 10.0.0.1
}
PUBLIC = ["8.8.8.8", "1.1.1.1", "114.114.114.114", "172.32.0.1", "192.169.0.1", "2001:4860:4860::8888"]


@pytest.mark.parametrize(("address", "reason"), REFUSED.items())
def test_refused_addresses(address, reason):
    assert webhook.address_refusal(address) == reason


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address):
    assert webhook.address_refusal(address) == ""


@given(st.ip_addresses(v=4, network="10.0.0.0/8") | st.ip_addresses(v=4, network="172.16.0.0/12")
       | st.ip_addresses(v=4, network="192.168.0.0/16") | st.ip_addresses(v=4, network="127.0.0.0/8")
       | st.ip_addresses(v=4, network="169.254.0.0/16") | st.ip_addresses(v=6, network="fe80::/10")
       | st.ip_addresses(v=6, network="fc00::/7"))  # fmt: skip
def test_any_private_address_is_refused_also_when_mapped_into_ipv6(ip):
    assert webhook.address_refusal(str(ip))
    if ip.version == 4:
        assert webhook.address_refusal(f"::ffff:{ip}")


def fake_resolver(*addresses):
    def resolve(host, port, type=0):  # noqa: A002
        return [
            (socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
            for address in addresses
        ]

    return resolve


def test_every_address_of_a_host_is_checked():
    with pytest.raises(webhook.UnsafeURL, match="10.1.2.3"):
        webhook.check_url("https://hooks.example.com/x", resolve=fake_resolver("93.184.216.34", "10.1.2.3"))
    target = webhook.check_url("https://hooks.example.com/x?k=1", resolve=fake_resolver("93.184.216.34"))
    assert (target.host, target.port, target.path, target.addresses) == (
        "hooks.example.com",
        443,
        "/x?k=1",
        ("93.184.216.34",),
    )


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/", "file:///etc/passwd", "javascript:alert(1)", "http://", "https://u:p@example.com/",
     "http://example.com:99999/", ""],
)  # fmt: skip
def test_urls_that_are_not_plain_http_are_refused(url):
    with pytest.raises(webhook.UnsafeURL):
        webhook.check_url(url, resolve=fake_resolver("93.184.216.34"))


def test_loopback_is_refused_unless_allowed():
    with pytest.raises(webhook.UnsafeURL, match="loopback"):
        webhook.check_url("http://127.0.0.1:9/hook")
    with pytest.raises(webhook.UnsafeURL, match="loopback"):
        webhook.check_url("http://localhost:9/hook")
    assert webhook.check_url("http://127.0.0.1:9/hook", allow_private=True).addresses == ("127.0.0.1",)


def test_a_host_that_does_not_resolve_is_named():
    with pytest.raises(webhook.Unresolvable, match="no-such-host.invalid"):
        webhook.check_url("https://no-such-host.invalid/")


# --- classifying and backoff --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "verdict"),
    [(200, "delivered"), (204, "delivered"), (301, "failed"), (400, "failed"), (401, "failed"), (404, "failed"),
     (408, "retry"), (429, "retry"), (500, "retry"), (503, "retry")],
)  # fmt: skip
def test_classify(status, verdict):
    assert webhook.classify(status) == verdict


def test_backoff_grows_and_stops():
    delays = [webhook.retry_delay(n) for n in range(1, webhook.MAX_TRIES + 1)]
    assert delays[:-1] == sorted(delays[:-1]) and delays[0].total_seconds() == 30
    assert delays[-1] is None


# --- a real POST --------------------------------------------------------------------------------------------


@pytest.fixture
def receiver():
    server = Receiver(secret=SECRET).start()
    yield server
    server.stop()


def _post(receiver, body=b'{"hello": "world"}', secret=SECRET):
    target = webhook.check_url(receiver.url, allow_private=True)
    headers = {"Content-Type": "application/json", **webhook.signature_headers(secret=secret, body=body)}
    return webhook.post(target, body=body, headers=headers, timeout=5)


def test_post_is_verified_by_the_receiving_server(receiver):
    outcome = _post(receiver)
    assert outcome.verdict == webhook.Verdict.DELIVERED and outcome.status_code == 200
    (got,) = receiver.received
    assert got.verified and got.path == "/hook" and got.body == b'{"hello": "world"}'


def test_a_wrong_secret_is_refused_by_the_receiver_and_not_retried(receiver):
    outcome = _post(receiver, secret="not-the-secret")
    assert outcome.verdict == webhook.Verdict.FAILED and outcome.status_code == 401
    assert not receiver.received[0].verified


def test_server_errors_are_retried_client_errors_are_not(receiver):
    receiver.answers = [500, 422]
    first, second = _post(receiver), _post(receiver)
    assert (first.verdict, first.status_code, first.error) == (
        webhook.Verdict.RETRY,
        500,
        "HTTP 500 Internal Server Error",
    )
    assert (second.verdict, second.status_code) == (webhook.Verdict.FAILED, 422)


def test_a_closed_port_is_a_connection_error_to_retry():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    target = webhook.check_url(f"http://127.0.0.1:{port}/", allow_private=True)
    outcome = webhook.post(target, body=b"x", headers={}, timeout=5)
    assert outcome.verdict == webhook.Verdict.RETRY and outcome.status_code is None
    assert outcome.error == "Connection refused."


def test_a_silent_server_times_out_and_is_retried():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)  # accepts the connection, never answers
        target = webhook.check_url(f"http://127.0.0.1:{listener.getsockname()[1]}/", allow_private=True)
        outcome = webhook.post(target, body=b"x", headers={}, timeout=0.5)
    assert outcome.verdict == webhook.Verdict.RETRY and outcome.error == "Timed out."


def test_the_post_goes_to_the_checked_address_not_a_new_lookup(receiver):
    # The name resolves to a public address when checked; the POST must still go only to what the check found,
    # whatever a later lookup of the name would say. Here the check's address is the receiver's own.
    port = receiver.server.server_address[1]
    target = webhook.check_url(
        f"http://rebind.example.test:{port}/hook", allow_private=True, resolve=fake_resolver("127.0.0.1")
    )
    body = b"pinned"
    outcome = webhook.post(target, body=body, headers=webhook.signature_headers(secret=SECRET, body=body))
    assert outcome.verdict == webhook.Verdict.DELIVERED
    assert receiver.received[0].headers["Host"] == f"rebind.example.test:{port}"


def test_multipart_body_streams_files(tmp_path, receiver):
    big = tmp_path / "video.mp4"
    big.write_bytes(b"\x00\x01" * 300_000)
    out = io.BytesIO()
    content_type = webhook.write_multipart(
        [webhook.Part("manifest", "application/json", data=b"{}"),
         webhook.Part("package", "application/zip", filename='a"b.zip', path=str(big))],
        out,
        boundary="b0undary",
    )  # fmt: skip
    timestamp = int(time.time())
    headers = {
        "Content-Type": content_type,
        webhook.TIMESTAMP_HEADER: str(timestamp),
        webhook.SIGNATURE_HEADER: webhook.sign_file(secret=SECRET, timestamp=timestamp, handle=out),
    }
    target = webhook.check_url(receiver.url, allow_private=True)
    outcome = webhook.post(target, body=out, length=len(out.getvalue()), headers=headers)
    assert outcome.verdict == webhook.Verdict.DELIVERED
    parts = receiver.received[0].parts()
    assert parts == {"manifest": b"{}", "package": big.read_bytes()}
