"""A deadline for a whole answer: a registry that drips a byte at a time is cut off.

The read timeout applies to each read from the socket, so a server that sends one byte every
few seconds would keep a request open for ever. `AnswerDeadline` shuts the socket's reading
side once the whole answer has taken longer than its limit; the blocked read then ends, and the
caller, seeing `expired`, says so in words.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any


class AnswerDeadline:
    """Use as `with AnswerDeadline(response, seconds) as deadline:` around reading a body."""

    def __init__(self, response: Any, seconds: float) -> None:
        self._response = response
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.daemon = True
        self.seconds = seconds
        self.expired = False

    def __enter__(self) -> AnswerDeadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()

    def _cut(self) -> None:
        self.expired = True
        connection = getattr(getattr(self._response, "raw", None), "connection", None)
        sock = getattr(connection, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RD)
