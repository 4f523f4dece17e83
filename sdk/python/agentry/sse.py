"""A Server-Sent Events parser (the WHATWG event stream format) over text chunks.

Chunks may split lines anywhere, including between the CR and LF of a CRLF.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, List, Optional


@dataclass(frozen=True)
class SseMessage:
    #: The ``event:`` field, "message" when absent.
    event: str
    #: The ``data:`` lines joined with "\n".
    data: str
    #: The last ``id:`` seen on the stream (it persists across messages, as the spec says).
    last_event_id: str


class SseParser:
    """Feed decoded text with :meth:`push`; every complete message goes to ``on_message``."""

    def __init__(self, on_message: Callable[[SseMessage], None]) -> None:
        self._on_message = on_message
        self._buffer = ""
        self._data: List[str] = []
        self._event = ""
        self._saw_data = False
        self._pending_cr = False
        self.last_event_id = ""
        #: The reconnection time the server asked for with ``retry:``, in seconds.
        self.retry: Optional[float] = None

    def push(self, chunk: str) -> None:
        text = chunk
        # A CR at the end of the previous chunk already ended its line; skip the LF completing it.
        if self._pending_cr and text.startswith("\n"):
            text = text[1:]
        self._pending_cr = False
        self._buffer += text
        start = 0
        i = 0
        buffer = self._buffer
        while i < len(buffer):
            c = buffer[i]
            if c != "\n" and c != "\r":
                i += 1
                continue
            self._line(buffer[start:i])
            if c == "\r":
                if i + 1 < len(buffer):
                    if buffer[i + 1] == "\n":
                        i += 1
                else:
                    self._pending_cr = True
            start = i + 1
            i += 1
        self._buffer = buffer[start:]

    def reset(self) -> None:
        """Drops a half-received message (the connection ended mid-message)."""
        self._buffer = ""
        self._data = []
        self._event = ""
        self._saw_data = False
        self._pending_cr = False

    def _line(self, line: str) -> None:
        if line == "":
            self._dispatch()
            return
        if line.startswith(":"):
            return  # a comment, such as a keep-alive
        field, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if field == "data":
            self._data.append(value)
            self._saw_data = True
        elif field == "event":
            self._event = value
        elif field == "id":
            if "\0" not in value:
                self.last_event_id = value
        elif field == "retry":
            if value.isdigit():
                self.retry = int(value) / 1000
        # Unknown fields are ignored.

    def _dispatch(self) -> None:
        if self._saw_data:
            self._on_message(SseMessage(self._event or "message", "\n".join(self._data), self.last_event_id))
        self._data = []
        self._event = ""
        self._saw_data = False
