"""A real webhook receiver on 127.0.0.1 for the tests: it checks every signature as a channel's server would."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from publishing import webhook


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool

    def parts(self) -> dict[str, bytes]:
        """The multipart body's parts by name, read with the standard library's own parser."""
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + self.body
        )
        return {part.get_param("name", header="content-disposition"): part.get_payload(decode=True)
                for part in message.iter_parts()}  # fmt: skip


@dataclass
class Receiver:
    secret: str
    answers: list[int] = field(default_factory=list)  # statuses to answer in turn; 200 once they run out
    received: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hook"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                verified = webhook.verify(
                    secret=receiver.secret,
                    body=body,
                    timestamp=self.headers.get(webhook.TIMESTAMP_HEADER),
                    signature=self.headers.get(webhook.SIGNATURE_HEADER),
                )
                receiver.received.append(Received(self.path, dict(self.headers.items()), body, verified))
                status = receiver.answers.pop(0) if receiver.answers else 200
                if not verified:
                    status = 401
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
