"""A real HTTP server on the loopback interface for the client's unit tests: it records what the
client sent and answers as each test scripts it. (The network is the test double; the client is real.)"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    query: Dict[str, str]
    headers: Dict[str, str]
    body: Any
    at: float


class Reply:
    """How a test answers one request."""

    def __init__(self, handler: BaseHTTPRequestHandler) -> None:
        self._handler = handler

    def json(self, status: int, body: Any, headers: Optional[Dict[str, str]] = None) -> None:
        data = json.dumps(body).encode()
        self._handler.send_response(status)
        self._handler.send_header("Content-Type", "application/json")
        self._handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self._handler.send_header(name, value)
        self._handler.end_headers()
        self._handler.wfile.write(data)

    def drop(self) -> None:
        """Closes the connection without an answer, as a crashed proxy would."""
        self._handler.close_connection = True
        self._handler.connection.shutdown(socket.SHUT_RDWR)

    def stream(self, chunks: List[str], hold: float = 0.0) -> None:
        """Server-Sent Events: writes the chunks, keeps the stream open ``hold`` seconds, then ends it."""
        self._handler.send_response(200)
        self._handler.send_header("Content-Type", "text/event-stream")
        self._handler.end_headers()
        for chunk in chunks:
            self._handler.wfile.write(chunk.encode())
            self._handler.wfile.flush()
        time.sleep(hold)
        self._handler.close_connection = True


Handler = Callable[[Recorded, Reply, int], None]

RUNNING: Dict[str, Any] = {"halt": False, "budget": None, "revision": 3}


def accept_all(request: Recorded, reply: Reply, _index: int) -> None:
    """The answer Agentry gives a batch it took whole."""
    events = (request.body or {}).get("events", []) if isinstance(request.body, dict) else []
    reply.json(200, {"accepted": len(events), "duplicates": 0, "rejected": [], "directives": RUNNING})


class ScriptedServer:
    def __init__(self, handler: Handler = accept_all) -> None:
        self.requests: List[Recorded] = []
        self._handler = handler
        self._lock = threading.Lock()
        server = self

        class RequestHandler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body: Any = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                url = urlsplit(self.path)
                recorded = Recorded(
                    self.command,
                    url.path,
                    {k: v[0] for k, v in parse_qs(url.query).items()},
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                    time.monotonic(),
                )
                with server._lock:
                    server.requests.append(recorded)
                    index = len(server.requests) - 1
                    handler = server._handler
                handler(recorded, Reply(self), index)

            do_GET = _serve
            do_POST = _serve

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def handle(self, handler: Handler) -> None:
        with self._lock:
            self._handler = handler

    def to(self, path: str) -> List[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def wait_for(predicate: Callable[[], bool], timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)
