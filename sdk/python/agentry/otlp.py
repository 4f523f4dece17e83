"""Spans reported over OTLP/HTTP JSON, without the OpenTelemetry SDK.

For agents that want OpenTelemetry's GenAI spans in Agentry but not the OpenTelemetry packages
(standard library only). An agent that already runs the OpenTelemetry SDK should point its OTLP
exporter at ``/api/v1/otlp/v1/traces`` instead; Agentry takes protobuf and JSON alike.

    tracer = Tracer(client, service_name="support-chatbot")
    with tracer.span("invoke_agent support-chatbot", attributes={"gen_ai.operation.name": "invoke_agent"}):
        with tracer.span("chat gpt-4.1-mini", kind=SpanKind.CLIENT) as span:
            span.set_attributes({"gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4.1-mini"})
    tracer.flush()

Each span becomes one event; its span id is the event id, so a re-sent export is not counted twice.
"""

from __future__ import annotations

import base64
import contextvars
import math
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional

if TYPE_CHECKING:
    from .client import AgentryClient

#: Spans per export request: the server takes at most 1000.
MAX_SPANS_PER_EXPORT = 1000


class SpanKind(IntEnum):
    UNSPECIFIED = 0
    INTERNAL = 1
    SERVER = 2
    CLIENT = 3
    PRODUCER = 4
    CONSUMER = 5


class StatusCode(IntEnum):
    UNSET = 0
    OK = 1
    ERROR = 2


def any_value(value: Any) -> Dict[str, Any]:
    """A Python value as an OTLP/JSON AnyValue (64-bit integers as strings, bytes as base64)."""
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int):
        return {"intValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value if math.isfinite(value) else ("NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity"))}
    if isinstance(value, str):
        return {"stringValue": value}
    if isinstance(value, (bytes, bytearray)):
        return {"bytesValue": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Mapping):
        return {"kvlistValue": {"values": key_values(value)}}
    if isinstance(value, (list, tuple)):
        return {"arrayValue": {"values": [any_value(item) for item in value]}}
    return {"stringValue": str(value)}


def key_values(attributes: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """Attributes as OTLP/JSON's list of ``{key, value}``; None values are left out."""
    return [{"key": str(key), "value": any_value(value)} for key, value in attributes.items() if value is not None]


@dataclass
class Span:
    """One operation: an agent invocation, a model call, a tool call."""

    name: str
    trace_id: str
    span_id: str
    parent_span_id: Optional[str] = None
    kind: SpanKind = SpanKind.INTERNAL
    start_ns: int = field(default_factory=time.time_ns)
    end_ns: Optional[int] = None
    attributes: Dict[str, Any] = field(default_factory=dict)
    status_code: StatusCode = StatusCode.UNSET
    status_message: Optional[str] = None

    def set_attribute(self, key: str, value: Any) -> "Span":
        self.attributes[key] = value
        return self

    def set_attributes(self, attributes: Mapping[str, Any]) -> "Span":
        self.attributes.update(attributes)
        return self

    def set_status(self, code: StatusCode, message: Optional[str] = None) -> "Span":
        self.status_code = code
        self.status_message = message
        return self

    def record_error(self, error: BaseException) -> "Span":
        """Marks the span failed, as the GenAI conventions do: status ERROR and ``error.type``."""
        self.attributes.setdefault("error.type", type(error).__qualname__)
        return self.set_status(StatusCode.ERROR, str(error) or type(error).__qualname__)

    def end(self, end_ns: Optional[int] = None) -> None:
        if self.end_ns is None:
            self.end_ns = time.time_ns() if end_ns is None else end_ns

    def to_otlp(self) -> Dict[str, Any]:
        """The span as OTLP/JSON encodes it."""
        span: Dict[str, Any] = {
            "traceId": self.trace_id,
            "spanId": self.span_id,
            "name": self.name,
            "kind": int(self.kind),
            "startTimeUnixNano": str(self.start_ns),
            "endTimeUnixNano": str(self.end_ns if self.end_ns is not None else time.time_ns()),
            "attributes": key_values(self.attributes),
            "status": {"code": int(self.status_code), **({"message": self.status_message} if self.status_message else {})},
        }
        if self.parent_span_id:
            span["parentSpanId"] = self.parent_span_id
        return span


class Tracer:
    """Makes spans, nests them (the current span is the parent of the next), and exports the
    finished ones over OTLP/HTTP JSON through an :class:`~agentry.client.AgentryClient`, which
    brings its key, retries and backoff.

    :param resource: resource attributes; ``service.name`` (or ``gen_ai.agent.name``) names the
        agent when the client's key is an org ingest key.
    :param max_queue: finished spans held at most between flushes; beyond it the oldest are dropped.
    """

    def __init__(
        self,
        client: "AgentryClient",
        *,
        service_name: Optional[str] = None,
        resource: Optional[Mapping[str, Any]] = None,
        scope: str = "agentry-python",
        max_queue: int = 2048,
    ) -> None:
        self._client = client
        self.resource: Dict[str, Any] = dict(resource or {})
        if service_name is not None:
            self.resource.setdefault("service.name", service_name)
        self.resource.setdefault("service.instance.id", client.instance_id)
        self._scope = scope
        self._max_queue = max_queue
        self._current: contextvars.ContextVar[Optional[Span]] = contextvars.ContextVar(f"agentry-span-{id(self)}", default=None)
        self._lock = threading.Lock()
        self._finished: List[Span] = []
        #: Spans dropped because the queue was full.
        self.dropped = 0

    @property
    def current_span(self) -> Optional[Span]:
        return self._current.get()

    def start_span(self, name: str, *, kind: SpanKind = SpanKind.INTERNAL, attributes: Optional[Mapping[str, Any]] = None, parent: Optional[Span] = None) -> Span:
        """A span that the caller ends (and hands to :meth:`finish`) itself; prefer :meth:`span`."""
        parent = parent if parent is not None else self._current.get()
        return Span(
            name=name,
            trace_id=parent.trace_id if parent else os.urandom(16).hex(),
            span_id=os.urandom(8).hex(),
            parent_span_id=parent.span_id if parent else None,
            kind=kind,
            attributes=dict(attributes or {}),
        )

    def finish(self, span: Span) -> None:
        """Ends the span (if it has not ended) and queues it for the next export."""
        span.end()
        with self._lock:
            self._finished.append(span)
            if len(self._finished) > self._max_queue:
                excess = len(self._finished) - self._max_queue
                del self._finished[:excess]
                self.dropped += excess

    @contextmanager
    def span(self, name: str, *, kind: SpanKind = SpanKind.INTERNAL, attributes: Optional[Mapping[str, Any]] = None) -> Iterator[Span]:
        """A span around a block: the current span inside it, ended and queued when it exits.
        An exception marks it failed (and goes on)."""
        span = self.start_span(name, kind=kind, attributes=attributes)
        token = self._current.set(span)
        try:
            yield span
        except BaseException as error:
            span.record_error(error)
            raise
        finally:
            self._current.reset(token)
            self.finish(span)

    def export_request(self, spans: List[Span]) -> Dict[str, Any]:
        """The OTLP/JSON ExportTraceServiceRequest for these spans."""
        return {
            "resourceSpans": [
                {
                    "resource": {"attributes": key_values(self.resource)},
                    "scopeSpans": [{"scope": {"name": self._scope}, "spans": [span.to_otlp() for span in spans]}],
                }
            ]
        }

    def flush(self) -> Dict[str, int]:
        """Exports the finished spans; returns ``{"exported": n, "rejected": m}``.

        Spans whose export failed after the client's retries are put back for the next flush
        (they keep their ids, so nothing is counted twice) and the error is raised.
        """
        with self._lock:
            pending, self._finished = self._finished, []
        exported = rejected = 0
        for start in range(0, len(pending), MAX_SPANS_PER_EXPORT):
            chunk = pending[start : start + MAX_SPANS_PER_EXPORT]
            try:
                answer = self._client.export_traces(self.export_request(chunk))
            except Exception:
                with self._lock:
                    self._finished[:0] = pending[start:]
                raise
            partial = answer.get("partialSuccess") or {}
            rejected_here = int(partial.get("rejectedSpans") or 0)
            rejected += rejected_here
            exported += len(chunk) - rejected_here
        return {"exported": exported, "rejected": rejected}
