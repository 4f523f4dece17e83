"""AgentryClient: what an agent uses to ask before acting, report telemetry and obey directives.

Telemetry is queued and sent in batches, by size or after an interval, from one background
thread; the agent is never blocked (a full queue drops its oldest events and counts them). Event
ids are fixed when an event is queued, so a batch sent again after a lost answer is recognised
by the server: those events come back as duplicates and are never counted twice.
"""

from __future__ import annotations

import datetime as _dt
import http.client
import json
import random as _random
import socket
import threading
import time
import uuid
from collections import deque
from decimal import Decimal
from typing import Any, Callable, Deque, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, TypeVar
from urllib.parse import quote, urlencode, urlsplit

from .errors import AgentryApiError
from .retry import RetryPolicy, backoff_delay, parse_retry_after
from .sse import SseMessage, SseParser
from .transport import HttpRequest, HttpResponse, Transport, urllib_transport
from .types import EVENT_TYPES, ApprovalStatus, ClientStats, Decision, Directives, EventsAnswer, Rejection, ShapeError

__all__ = ["AgentryClient", "MAX_EVENTS_PER_BATCH"]

#: The server takes at most this many events per request.
MAX_EVENTS_PER_BATCH = 1000
USER_AGENT = "agentry-sdk-python/0.1"
#: The server sends a keep-alive comment every 15 s; a stream silent for this long is dead.
STREAM_READ_TIMEOUT = 45.0

T = TypeVar("T")
HaltListener = Callable[[Directives], None]

def _json_default(value: Any) -> Any:
    """What JSON has no type for, the way the API reads it: instants as ISO-8601, amounts as decimal strings."""
    if isinstance(value, _dt.datetime):
        return _iso_instant(value)
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _encode(value: Any) -> bytes:
    # allow_nan=False: NaN is not JSON, and the server would refuse the whole body for it.
    return json.dumps(value, default=_json_default, allow_nan=False, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _iso_instant(value: _dt.datetime) -> str:
    """An instant in UTC with a Z. A naive datetime is taken as local time, as Python's astimezone does."""
    return value.astimezone(_dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Queued:
    __slots__ = ("seq", "queued_at", "event", "encoded")

    def __init__(self, seq: int, queued_at: float, event: Dict[str, Any], encoded: bytes) -> None:
        self.seq = seq
        self.queued_at = queued_at
        self.event = event
        self.encoded = encoded


class AgentryClient:
    """The client for Agentry's agent API (``/api/v1``).

    :param base_url: where Agentry listens, e.g. ``http://localhost:3000``.
    :param api_key: an agent key, or an org ingest key (then every event must name its ``agent``).
    :param batch_size: events per request (at most 1000); a full batch is sent at once.
    :param flush_interval: the longest, in seconds, an event waits in the queue before it is sent.
    :param max_queue: events held at most; beyond it the oldest are dropped (``stats.dropped``).
    :param retry: how often and how patiently failed requests are repeated.
    :param timeout: seconds per request (long polls add their wait).
    :param instance_id: this process's instance id, put on events and heartbeats that carry none.
    :param version: the agent version this process runs, likewise.
    :param on_rejected: called with the events the server refused (they are not resent).
    :param on_error: called with anything that failed in the background (a batch given up, a
        heartbeat, the directives stream).
    :param transport: sends one HTTP request (default: urllib).
    :param random: the random source of backoff jitter (for tests).

    Use it as a context manager, or call :meth:`close` before the process ends: queued events
    are sent by a daemon thread, which does not keep the process alive on its own.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        batch_size: int = 100,
        flush_interval: float = 1.0,
        max_queue: int = 10_000,
        retry: Optional[RetryPolicy] = None,
        timeout: float = 30.0,
        instance_id: Optional[str] = None,
        version: Optional[str] = None,
        on_rejected: Optional[Callable[[List[Rejection]], None]] = None,
        on_error: Optional[Callable[[BaseException], None]] = None,
        transport: Optional[Transport] = None,
        random: Optional[Callable[[], float]] = None,
    ) -> None:
        if not base_url:
            raise ValueError("AgentryClient: base_url is required")
        if not api_key:
            raise ValueError("AgentryClient: api_key is required")
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self.batch_size = max(1, min(MAX_EVENTS_PER_BATCH, int(batch_size)))
        self.flush_interval = max(0.0, float(flush_interval))
        self.max_queue = max(1, int(max_queue))
        self.retry = retry or RetryPolicy()
        self.timeout = float(timeout)
        self.instance_id = instance_id or f"instance-{uuid.uuid4().hex[:8]}"
        self.version = version
        self._on_rejected = on_rejected
        self._on_error = on_error
        self._transport: Transport = transport or urllib_transport
        self._random = random or _random.random

        #: The last directives any answer carried (None until one arrives).
        self.directives: Optional[Directives] = None
        self.stats = ClientStats()

        self._cond = threading.Condition()
        self._queue: Deque[_Queued] = deque()
        self._next_seq = 0
        # Events whose seq is at most this must go out now (the interval passed, or flush() asked).
        self._due_through = -1
        self._in_flight_from: Optional[int] = None
        self._sender: Optional[threading.Thread] = None
        self._closed = False
        self._stopping = False

        self._halt_lock = threading.Lock()
        self._halt_listeners: List[HaltListener] = []
        self._halt_episode: Optional[Tuple[str, str]] = None
        self._background: List[threading.Event] = []
        self._streams: List[Callable[[], None]] = []

    def __enter__(self) -> "AgentryClient":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ---- telemetry ---------------------------------------------------------------------------

    @property
    def queued(self) -> int:
        """Events waiting to be sent."""
        with self._cond:
            return len(self._queue)

    def track(
        self,
        type: str,
        *,
        id: Optional[str] = None,
        timestamp: Optional[_dt.datetime | str] = None,
        agent: Optional[str] = None,
        task_id: Optional[str] = None,
        trace_id: Optional[str] = None,
        instance_id: Optional[str] = None,
        version: Optional[str] = None,
        model: Optional[str] = None,
        provider: Optional[str] = None,
        input_tokens: Optional[int] = None,
        output_tokens: Optional[int] = None,
        cost_usd: Optional[Decimal | str | float] = None,
        latency_ms: Optional[int] = None,
        tool: Optional[str] = None,
        status: Optional[str] = None,
        decision_id: Optional[str] = None,
        attributes: Optional[Mapping[str, Any]] = None,
    ) -> str:
        """Queues an event and returns its id. Never blocks, and never raises for a full queue.

        ``type`` is one of ``llm_call``, ``tool_call``, ``task_start``, ``task_end``, ``decision``,
        ``error``, ``log``. ``id`` (default: a new UUID) and ``timestamp`` (default: now) are fixed
        here, so a retried batch is deduplicated by the server. Raises ValueError or TypeError at
        once for an event that could never be sent (an unknown type, NaN, an unserialisable value).
        """
        if type not in EVENT_TYPES:
            raise ValueError(f"unknown event type {type!r}; expected one of {', '.join(EVENT_TYPES)}")
        if timestamp is None:
            stamp = _iso_instant(_dt.datetime.now(_dt.timezone.utc))
        elif isinstance(timestamp, _dt.datetime):
            stamp = _iso_instant(timestamp)
        else:
            stamp = timestamp
        optional: Dict[str, Any] = {
            "agent": agent,
            "taskId": task_id,
            "traceId": trace_id,
            "instanceId": instance_id or self.instance_id,
            "version": version or self.version,
            "model": model,
            "provider": provider,
            "inputTokens": input_tokens,
            "outputTokens": output_tokens,
            "costUsd": str(cost_usd) if isinstance(cost_usd, Decimal) else cost_usd,
            "latencyMs": latency_ms,
            "tool": tool,
            "status": status,
            "decisionId": decision_id,
            "attributes": None if attributes is None else dict(attributes),
        }
        event_id = id or str(uuid.uuid4())
        event: Dict[str, Any] = {"id": event_id, "type": type, "timestamp": stamp}
        event.update((key, value) for key, value in optional.items() if value is not None)
        encoded = _encode(event)

        with self._cond:
            self.stats.tracked += 1
            if self._closed:
                self.stats.dropped += 1
                return event_id
            self._queue.append(_Queued(self._next_seq, time.monotonic(), event, encoded))
            self._next_seq += 1
            while len(self._queue) > self.max_queue:
                self._queue.popleft()
                self.stats.dropped += 1
            self._ensure_sender()
            self._cond.notify_all()
        return event_id

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Sends everything queued now and waits until it has been answered (or given up).

        Returns False if ``timeout`` seconds passed first.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            target = self._next_seq - 1
            self._due_through = max(self._due_through, target)
            self._ensure_sender()
            self._cond.notify_all()
            while (self._queue and self._queue[0].seq <= target) or (self._in_flight_from is not None and self._in_flight_from <= target):
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._cond.wait(remaining)
        return True

    def close(self, timeout: Optional[float] = None) -> None:
        """Stops heartbeats and directive streams, sends what is queued, and stops the sender.

        Events tracked afterwards are dropped (and counted in ``stats.dropped``).
        """
        with self._cond:
            self._closed = True
        for stop in self._background:
            stop.set()
        for cancel in self._streams:
            cancel()
        self.flush(timeout)
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
            sender = self._sender
        if sender is not None and sender is not threading.current_thread():
            sender.join(timeout)

    def _ensure_sender(self) -> None:
        # Called with the lock held.
        if self._sender is None or not self._sender.is_alive():
            self._stopping = False
            self._sender = threading.Thread(target=self._send_loop, name="agentry-sender", daemon=True)
            self._sender.start()

    def _next_batch(self) -> Optional[List[_Queued]]:
        """Waits (lock held) until a batch is due; None when the client is closing and nothing is left."""
        while True:
            if self._queue:
                now = time.monotonic()
                if now >= self._queue[0].queued_at + self.flush_interval:
                    # The oldest event has waited long enough: everything queued now goes out.
                    self._due_through = max(self._due_through, self._queue[-1].seq)
                if len(self._queue) >= self.batch_size:
                    take = self.batch_size
                else:
                    take = 0
                    for item in self._queue:
                        if item.seq > self._due_through or take == self.batch_size:
                            break
                        take += 1
                if take > 0:
                    return [self._queue.popleft() for _ in range(take)]
                self._cond.wait(max(0.0, self._queue[0].queued_at + self.flush_interval - now))
            elif self._stopping:
                return None
            else:
                self._cond.wait()

    def _send_loop(self) -> None:
        while True:
            with self._cond:
                batch = self._next_batch()
                if batch is None:
                    return
                self._in_flight_from = batch[0].seq
            try:
                self._send_batch(batch)
            except BaseException as error:  # the sender must outlive any one batch
                self._report(error)
            finally:
                with self._cond:
                    self._in_flight_from = None
                    self._cond.notify_all()

    def _send_batch(self, batch: Sequence[_Queued]) -> None:
        body = b'{"events":[' + b",".join(item.encoded for item in batch) + b"]}"
        try:
            _, answer = self._request("POST", "/api/v1/events", body, EventsAnswer.from_json)
        except AgentryApiError as error:
            if error.status == 413 and len(batch) > 1:
                # Too large as one request: the halves keep their ids, so nothing is counted twice.
                half = (len(batch) + 1) // 2
                self._send_batch(batch[:half])
                self._send_batch(batch[half:])
                return
            with self._cond:
                self.stats.failed += len(batch)
            if error.status == 400 and error.details and any("index" in d for d in error.details):
                # The server refused every event; say which and why, as for a 207.
                by_index: Dict[int, List[str]] = {}
                for detail in error.details:
                    if isinstance(detail.get("index"), int):
                        by_index.setdefault(detail["index"], []).append(f"{detail.get('path')}: {detail.get('message')}")
                self._report_rejected([self._rejection(index, "invalid_event", "; ".join(messages), batch) for index, messages in by_index.items()])
            self._report(error)
            return
        with self._cond:
            self.stats.batches += 1
            self.stats.sent += len(batch)
            self.stats.accepted += answer.accepted
            self.stats.duplicates += answer.duplicates
            self.stats.rejected += len(answer.rejected)
        if answer.rejected:
            self._report_rejected(
                [self._rejection(int(r.get("index", -1)), str(r.get("code", "")), str(r.get("message", "")), batch) for r in answer.rejected]
            )
        self._apply_directives(answer.directives)

    @staticmethod
    def _rejection(index: int, code: str, message: str, batch: Sequence[_Queued]) -> Rejection:
        event = batch[index].event if 0 <= index < len(batch) else {}
        return Rejection(index=index, code=code, message=message, event=event)

    def _report_rejected(self, rejections: List[Rejection]) -> None:
        if not rejections or self._on_rejected is None:
            return
        try:
            self._on_rejected(rejections)
        except Exception as error:
            self._report(error)

    def _report(self, error: BaseException) -> None:
        if self._on_error is None:
            return
        try:
            self._on_error(error)
        except Exception:
            pass  # a failing error handler must not take the sender down with it

    # ---- heartbeats, decisions, approvals ------------------------------------------------------

    def heartbeat(
        self,
        *,
        status: Optional[str] = None,
        version: Optional[str] = None,
        instance_id: Optional[str] = None,
        directive_version: Optional[int] = None,
    ) -> Directives:
        """Tells Agentry this instance is alive; returns the agent's directives. Needs an agent key.

        Sends back the directives revision last applied (``directiveVersion``), which is how the
        console knows an instance has seen a kill switch.
        """
        payload: Dict[str, Any] = {"instanceId": instance_id or self.instance_id}
        if (version or self.version) is not None:
            payload["version"] = version or self.version
        if status is not None:
            payload["status"] = status
        revision = directive_version if directive_version is not None else (self.directives.revision if self.directives else None)
        if revision is not None:
            payload["directiveVersion"] = revision
        _, directives = self._request("POST", "/api/v1/heartbeat", _encode(payload), lambda body: Directives.from_json(_mapping(body).get("directives")))
        self._apply_directives(directives)
        return directives

    def start_heartbeats(self, interval: float = 10.0, status: Optional[Callable[[], Optional[str]]] = None) -> Callable[[], None]:
        """Heartbeats every ``interval`` seconds (±10 %) from a daemon thread until the returned
        function is called or the client closes. ``status`` supplies each beat's status."""
        stop = threading.Event()
        self._background.append(stop)

        def beat() -> None:
            while not stop.is_set():
                try:
                    self.heartbeat(status=status() if status else None)
                except Exception as error:
                    self._report(error)
                stop.wait(interval * (0.9 + 0.2 * self._random()))

        threading.Thread(target=beat, name="agentry-heartbeat", daemon=True).start()
        return stop.set

    def decide(
        self,
        type: str,
        name: str,
        arguments: Optional[Mapping[str, Any]] = None,
        *,
        task_type: Optional[str] = None,
        estimated_cost_usd: Optional[Decimal | str | float] = None,
        data_classes: Optional[Iterable[str]] = None,
        task_id: Optional[str] = None,
        approval_id: Optional[str] = None,
        instance_id: Optional[str] = None,
    ) -> Decision:
        """Asks before acting: may this agent call tool ``name`` (or use model, data class, or
        delegate to an agent) with these ``arguments``? A deny is an answer, not an error.

        ``decide("model", "auto", task_type="analysis")`` asks which model to use.
        ``approval_id`` presents an approved request for this same action (allowed once).
        """
        action: Dict[str, Any] = {"type": type, "name": name}
        if arguments is not None:
            action["arguments"] = dict(arguments)
        payload: Dict[str, Any] = {"action": action, "instanceId": instance_id or self.instance_id}
        if task_type is not None:
            payload["taskType"] = task_type
        if estimated_cost_usd is not None:
            payload["estimatedCostUsd"] = str(estimated_cost_usd) if isinstance(estimated_cost_usd, Decimal) else estimated_cost_usd
        if data_classes is not None:
            payload["dataClasses"] = list(data_classes)
        if task_id is not None:
            payload["taskId"] = task_id
        if approval_id is not None:
            payload["approvalId"] = approval_id
        _, decision = self._request("POST", "/api/v1/decide", _encode(payload), Decision.from_json)
        self._apply_directives(decision.directives)
        return decision

    def wait_for_approval(self, approval_id: str, timeout: float = 300.0, poll: float = 25.0) -> ApprovalStatus:
        """Waits for a person to decide an approval request, long-polling the server.

        Returns the final status (``approved``, ``denied``, ``expired``), or ``pending`` when
        ``timeout`` seconds pass first.
        """
        deadline = time.monotonic() + timeout
        last = ApprovalStatus("pending")
        path = f"/api/v1/approvals/{quote(approval_id, safe='')}"
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return last
            wait = max(0.0, min(remaining, poll))
            started = time.monotonic()
            _, last = self._request("GET", f"{path}?{urlencode({'waitMs': int(wait * 1000)})}", None, ApprovalStatus.from_json, self.timeout + wait)
            if last.status != "pending":
                return last
            # A server that answers at once (no long poll) is asked again after a second, not in a tight loop.
            elapsed = time.monotonic() - started
            pause = min(1.0, wait) - elapsed
            if pause > 0:
                time.sleep(pause)

    # ---- OTLP -------------------------------------------------------------------------------------

    def export_traces(self, request: Mapping[str, Any]) -> Dict[str, Any]:
        """Sends an OTLP/JSON ExportTraceServiceRequest (see :mod:`agentry.otlp`); returns OTLP's
        answer: ``{}`` when every span was taken, else ``{"partialSuccess": {...}}``."""
        _, answer = self._request("POST", "/api/v1/otlp/v1/traces", _encode(request), lambda body: dict(_mapping(body)))
        return answer

    # ---- directives ---------------------------------------------------------------------------------

    def on_halt(self, callback: HaltListener) -> Callable[[], None]:
        """Calls ``callback`` when directives say halt: once per halt episode (a new reason or kill
        switch while halted is a new episode; a resume ends it). Returns an unsubscribe function."""
        with self._halt_lock:
            self._halt_listeners.append(callback)

        def unsubscribe() -> None:
            with self._halt_lock:
                if callback in self._halt_listeners:
                    self._halt_listeners.remove(callback)

        return unsubscribe

    def _apply_directives(self, directives: Optional[Directives]) -> None:
        if directives is None:
            return
        with self._halt_lock:
            self.directives = directives
            if not directives.halt:
                self._halt_episode = None
                return
            episode = (directives.reason or "", directives.kill_switch_id or "")
            if episode == self._halt_episode:
                return
            self._halt_episode = episode
            listeners = list(self._halt_listeners)
        for listener in listeners:
            try:
                listener(directives)
            except Exception as error:
                self._report(error)

    def subscribe_directives(self, callback: Callable[[Directives], None], instance_id: Optional[str] = None) -> Callable[[], None]:
        """Follows ``GET /api/v1/directives/stream`` (Server-Sent Events) from a daemon thread:
        ``callback`` gets the directives on connect and on every change. Each new revision is
        acknowledged with a heartbeat. Reconnects with backoff when the stream ends or fails
        (sending Last-Event-ID, after the server's ``retry:`` hint); a 4xx other than 429 ends it
        (reported to on_error). Returns the unsubscribe function."""
        stream = _DirectivesStream(self, callback, instance_id or self.instance_id)
        self._streams.append(stream.cancel)
        stream.start()
        return stream.cancel

    # ---- HTTP ---------------------------------------------------------------------------------------

    def _headers(self, body: Optional[bytes]) -> Dict[str, str]:
        headers = {"Authorization": f"Bearer {self._api_key}", "User-Agent": USER_AGENT, "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        return headers

    def _request(self, method: str, path: str, body: Optional[bytes], parse: Callable[[Any], T], timeout: Optional[float] = None) -> Tuple[int, T]:
        """One API call with the retry policy: 429 (after Retry-After), 5xx and lost connections
        are retried with exponential backoff and full jitter; other answers are final."""
        attempt = 0
        while True:
            try:
                return self._once(method, path, body, parse, self.timeout if timeout is None else timeout)
            except AgentryApiError as error:
                if not error.retryable or attempt >= self.retry.retries:
                    raise
                with self._cond:
                    self.stats.retries += 1
                delay = error.retry_after if error.retry_after is not None else backoff_delay(attempt, self.retry, self._random)
                attempt += 1
                time.sleep(delay)

    def _once(self, method: str, path: str, body: Optional[bytes], parse: Callable[[Any], T], timeout: float) -> Tuple[int, T]:
        request = HttpRequest(method, f"{self.base_url}{path}", self._headers(body), body, timeout)
        try:
            response = self._transport(request)
        except (TimeoutError, socket.timeout) as error:
            raise AgentryApiError(0, "timeout", f"{method} {path} got no answer within {timeout:g} s") from error
        except (OSError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", None)
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise AgentryApiError(0, "timeout", f"{method} {path} got no answer within {timeout:g} s") from error
            raise AgentryApiError(0, "network_error", f"{method} {path} failed: {error}") from error
        if not 200 <= response.status < 300:
            raise _error_from(response)
        try:
            parsed = json.loads(response.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise AgentryApiError(response.status, "invalid_response", f"{method} {path} answered {response.status} without JSON") from error
        try:
            return response.status, parse(parsed)
        except ShapeError as error:
            raise AgentryApiError(response.status, "invalid_response", f"{method} {path} answered an unexpected shape: {error}") from error


def _mapping(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ShapeError("expected a JSON object")
    return value


def _error_from(response: HttpResponse) -> AgentryApiError:
    retry_after = parse_retry_after(response.headers.get("retry-after")) if response.status in (429, 503) else None
    text = response.body.decode("utf-8", "replace")
    try:
        error = json.loads(text)["error"]
        code, message = error["code"], error["message"]
        if isinstance(code, str) and isinstance(message, str):
            details = error.get("details")
            return AgentryApiError(response.status, code, message, details if isinstance(details, list) else None, retry_after)
    except (ValueError, KeyError, TypeError):
        pass
    suffix = f": {text[:200]}" if text else ""
    return AgentryApiError(response.status, "http_error", f"HTTP {response.status}{suffix}", None, retry_after)


class _DirectivesStream:
    """One subscription to the directives stream, on its own daemon thread."""

    def __init__(self, client: AgentryClient, callback: Callable[[Directives], None], instance_id: str) -> None:
        self._client = client
        self._callback = callback
        self._instance_id = instance_id
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._connection: Optional[http.client.HTTPConnection] = None
        # Kept apart from the connection: http.client lets go of it once a response that ends
        # with the connection (as a stream does) has started.
        self._socket: Optional[socket.socket] = None
        self._acknowledged: Optional[int] = None
        # Only the newest revision needs acknowledging: it implies the ones before it.
        self._ack_cond = threading.Condition()
        self._ack_pending: Optional[int] = None
        self._ack_thread: Optional[threading.Thread] = None

    def start(self) -> None:
        threading.Thread(target=self._follow, name="agentry-directives", daemon=True).start()

    def cancel(self) -> None:
        self._stop.set()
        with self._ack_cond:
            self._ack_cond.notify()
        with self._lock:
            sock = self._socket
        if sock is not None:
            # Shutting the socket down wakes the reading thread at once.
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _follow(self) -> None:
        client = self._client
        attempt = 0
        last_event_id = ""
        server_retry: Optional[float] = None
        while not self._stop.is_set():
            wait: Optional[float] = None
            parser = SseParser(self._on_message)
            try:
                response = self._open(last_event_id)
                if response.status != 200:
                    error = _error_from(HttpResponse(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()))
                    if not error.retryable:
                        client._report(error)
                        return
                    wait = error.retry_after
                    raise error
                while not self._stop.is_set():
                    line = response.readline()
                    if not line:
                        break
                    parser.push(line.decode("utf-8", "replace"))
                    attempt = 0  # a working stream resets the backoff
            except AgentryApiError as error:
                if self._stop.is_set():
                    return
                client._report(error)
            except (OSError, http.client.HTTPException) as error:
                if self._stop.is_set():
                    return
                client._report(AgentryApiError(0, "network_error", f"The directives stream failed: {error}"))
            finally:
                last_event_id = parser.last_event_id or last_event_id
                server_retry = parser.retry if parser.retry is not None else server_retry
                self._close_connection()
            if self._stop.is_set():
                return
            delay = wait if wait is not None else (server_retry if server_retry is not None else client.retry.base_delay) + backoff_delay(attempt, client.retry, client._random)
            attempt += 1
            self._stop.wait(delay)

    def _open(self, last_event_id: str) -> http.client.HTTPResponse:
        client = self._client
        target = urlsplit(f"{client.base_url}/api/v1/directives/stream?{urlencode({'instanceId': self._instance_id})}")
        factory = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
        connection = factory(target.netloc, timeout=STREAM_READ_TIMEOUT)
        with self._lock:
            self._connection = connection
        headers = client._headers(None)
        headers["Accept"] = "text/event-stream"
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        connection.request("GET", f"{target.path}?{target.query}", headers=headers)
        with self._lock:
            self._socket = connection.sock
        if self._stop.is_set():
            raise OSError("unsubscribed")
        response: http.client.HTTPResponse = connection.getresponse()
        return response

    def _close_connection(self) -> None:
        with self._lock:
            connection, self._connection = self._connection, None
            sock, self._socket = self._socket, None
        if connection is not None:
            connection.close()
        if sock is not None:
            sock.close()

    def _on_message(self, message: SseMessage) -> None:
        client = self._client
        try:
            value = json.loads(message.data)
            # The stream may send the directives themselves or wrapped as {directives}.
            if isinstance(value, Mapping) and "directives" in value:
                value = value["directives"]
            directives = Directives.from_json(value)
        except (ValueError, TypeError):
            return
        client._apply_directives(directives)
        try:
            self._callback(directives)
        except Exception as error:
            client._report(error)
        # Acknowledge a new revision at once (a heartbeat carrying it): the Kill switches page times
        # how fast a halt lands. Sent from a thread of its own, so a slow answer never stalls the stream.
        if directives.revision != self._acknowledged:
            self._acknowledged = directives.revision
            with self._ack_cond:
                self._ack_pending = directives.revision
                if self._ack_thread is None:
                    self._ack_thread = threading.Thread(target=self._send_acks, name="agentry-directives-ack", daemon=True)
                    self._ack_thread.start()
                self._ack_cond.notify()

    def _send_acks(self) -> None:
        while True:
            with self._ack_cond:
                while self._ack_pending is None and not self._stop.is_set():
                    self._ack_cond.wait(1.0)
                if self._stop.is_set():
                    return
                revision, self._ack_pending = self._ack_pending, None
            try:
                self._client.heartbeat(instance_id=self._instance_id, directive_version=revision)
            except Exception as error:
                self._client._report(error)
