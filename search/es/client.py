"""Elasticsearch clients built from a URL such as ELASTICSEARCH_URL."""

from __future__ import annotations

import threading
from urllib.parse import unquote, urlsplit

import orjson
from elasticsearch import Elasticsearch
from elasticsearch.serializer import NdjsonSerializer, OrjsonSerializer

# A citizen waits for the page: a slow or dead cluster must fail fast so the view can fall back to the database.
WEB_REQUEST_TIMEOUT_S = 2.0
# Tasks and commands (indexing, full reindex) can wait and retry; a bulk chunk on a busy cluster takes seconds.
BACKGROUND_TIMEOUT_S = 30.0
BACKGROUND_RETRIES = 3

_DEFAULT_PORTS = {"http": 9200, "https": 443}


class _OrjsonNdjsonSerializer(NdjsonSerializer):
    """Bulk and msearch bodies written with orjson, like the JSON ones (the standard library's json is several
    times slower, and a search encodes and decodes its whole request and answer)."""

    def json_dumps(self, data):
        return orjson.dumps(data, default=self.default)

    def json_loads(self, data):
        return orjson.loads(data)


# Keyed by the plain media types; the client uses the same serializer for their compatibility-mode forms.
_SERIALIZERS = {OrjsonSerializer.mimetype: OrjsonSerializer(), NdjsonSerializer.mimetype: _OrjsonNdjsonSerializer()}
_clients: dict[tuple[str, bool], Elasticsearch] = {}
_clients_lock = threading.Lock()


def connect(*, url: str, web_request: bool = True) -> Elasticsearch:
    """A new client for `url` (credentials may be written in it: https://user:password@host:port).

    `web_request=True` gives short timeouts and no retries, for requests made while a citizen waits.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an http(s) Elasticsearch URL: {url!r}")
    # The client wants an explicit port and takes credentials separately, never inside the URL.
    host = parts.netloc.rsplit("@", 1)[-1]
    if parts.port is None:
        host = f"{host}:{_DEFAULT_PORTS[parts.scheme]}"
    basic_auth = (unquote(parts.username), unquote(parts.password or "")) if parts.username else None
    return Elasticsearch(
        f"{parts.scheme}://{host}{parts.path.rstrip('/')}",
        basic_auth=basic_auth,
        request_timeout=WEB_REQUEST_TIMEOUT_S if web_request else BACKGROUND_TIMEOUT_S,
        max_retries=0 if web_request else BACKGROUND_RETRIES,
        retry_on_timeout=not web_request,
        serializers=_SERIALIZERS,
    )


def get_client(*, url: str, web_request: bool = True) -> Elasticsearch:
    """A shared client per URL and purpose; clients are thread-safe and pool their connections."""
    key = (url, web_request)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = _clients[key] = connect(url=url, web_request=web_request)
        return client
