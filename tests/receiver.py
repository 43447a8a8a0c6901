"""A real HTTP receiver on loopback for webhook tests: records each POST, answers as scripted."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    """One request the receiver got, and the status it answered."""

    path: str
    headers: dict[str, str]
    """Header names lower-cased."""
    body: bytes
    answered: int


@dataclass
class Receiver:
    """A ``ThreadingHTTPServer`` on 127.0.0.1 answering POSTs with scripted status codes.

    The last code repeats; ``location``, when given, is sent as the Location header.
    """

    statuses: Sequence[int]
    location: str | None = None
    requests: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.receiver = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/claimex"

    def answer(self, path: str, headers: dict[str, str], body: bytes) -> int:
        with self._lock:
            status = self.statuses[min(len(self.requests), len(self.statuses) - 1)]
            self.requests.append(Received(path, headers, body, status))
            return status

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    receiver: Receiver


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        headers = {name.lower(): value for name, value in self.headers.items()}
        status = self.server.receiver.answer(self.path, headers, body)
        self.send_response(status)
        if self.server.receiver.location is not None:
            self.send_header("Location", self.server.receiver.location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


Receive = Callable[..., Receiver]
