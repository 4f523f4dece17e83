"""Agentry's Python client: ask before acting, report telemetry, follow directives, wait for approvals.

Standard library only. See README.md beside this package.

    from agentry import AgentryClient

    with AgentryClient("http://localhost:3000", api_key) as agentry:
        decision = agentry.decide("tool", "issue_refund", {"amount": 250})
        if decision.decision == "require_approval":
            approval = agentry.wait_for_approval(decision.approval_id, timeout=600)
        agentry.track("tool_call", tool="issue_refund", decision_id=decision.decision_id)
"""

from .client import MAX_EVENTS_PER_BATCH, AgentryClient
from .errors import AgentryApiError
from .otlp import Span, SpanKind, StatusCode, Tracer
from .retry import RetryPolicy, backoff_delay, parse_retry_after
from .sse import SseMessage, SseParser
from .transport import HttpRequest, HttpResponse, Transport, urllib_transport
from .types import (
    ApprovalStatus,
    Budget,
    ClientStats,
    Decision,
    Directives,
    ModelChoice,
    ModelRef,
    Reason,
    Rejection,
    VersionRef,
)

__version__ = "0.1.0"

__all__ = [
    "AgentryApiError",
    "AgentryClient",
    "ApprovalStatus",
    "Budget",
    "ClientStats",
    "Decision",
    "Directives",
    "HttpRequest",
    "HttpResponse",
    "MAX_EVENTS_PER_BATCH",
    "ModelChoice",
    "ModelRef",
    "Reason",
    "Rejection",
    "RetryPolicy",
    "Span",
    "SpanKind",
    "SseMessage",
    "SseParser",
    "StatusCode",
    "Tracer",
    "Transport",
    "VersionRef",
    "backoff_delay",
    "parse_retry_after",
    "urllib_transport",
]
