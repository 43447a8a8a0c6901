"""The HTTP server's side of the limits: a head over the limit is refused before it is buffered.

uvicorn's httptools parser keeps whatever header bytes a client sends until the head ends: 100
MB of headers were read, kept and answered 200. ``bounded_protocol(limit)`` is uvicorn's
httptools protocol counting the bytes of a head still unfinished; past ``limit`` it answers
``431 Request Header Fields Too Large`` and closes the connection, having held at most one
read (64 KB) more than the limit. (uvicorn's h11 protocol, used without httptools, has the
same bound as ``h11_max_incomplete_event_size``.)
"""

from __future__ import annotations

import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

_TITLE = "Request header fields too large"


class BoundedHeadersProtocol(HttpToolsProtocol):
    """``HttpToolsProtocol`` refusing a request head over ``max_head_bytes``."""

    max_head_bytes = 32_768
    _in_head = True
    _head_bytes = 0
    _refused = False

    def on_message_begin(self) -> None:
        """Start a request, and the count of its head's bytes from zero."""
        super().on_message_begin()
        self._in_head, self._head_bytes = True, 0

    def on_headers_complete(self) -> None:
        """End the head: the bytes that follow are the body, not counted here."""
        self._in_head, self._head_bytes = False, 0
        super().on_headers_complete()

    def data_received(self, data: bytes) -> None:
        """Parse ``data`` as uvicorn does, counting it while the head is unfinished."""
        if self._refused:
            return
        super().data_received(data)
        if not self._in_head:
            return
        self._head_bytes += len(data)
        if self._head_bytes > self.max_head_bytes:
            self._refuse()

    def _refuse(self) -> None:
        self._refused = True
        body = json.dumps(
            {
                "status": 431,
                "title": _TITLE,
                "detail": f"the request line and headers exceed {self.max_head_bytes} bytes "
                "(CLAIMEX_MAX_HEADER_BYTES)",
            }
        ).encode()
        head = (
            b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
            b"content-type: application/problem+json\r\n"
            b"content-length: " + str(len(body)).encode() + b"\r\n"
            b"connection: close\r\n\r\n"
        )
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(head + body)
            self.transport.close()


def bounded_protocol(limit: int) -> type[BoundedHeadersProtocol]:
    """The protocol class for uvicorn, with this limit."""
    return type("BoundedHeadersProtocol", (BoundedHeadersProtocol,), {"max_head_bytes": limit})
