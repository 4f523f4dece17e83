"""What the agent API answers, as typed Python values.

The wire format is JSON with camelCase names (see docs/agent-api.md); these dataclasses carry the
same fields in snake_case. Amounts of money are :class:`decimal.Decimal`, never floats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Dict, List, Literal, Mapping, Optional, Tuple

DecisionVerdict = Literal["allow", "deny", "require_approval"]
ApprovalState = Literal["pending", "approved", "denied", "expired"]
ActionType = Literal["tool", "model", "data", "delegate"]
EventType = Literal["llm_call", "tool_call", "task_start", "task_end", "decision", "error", "log"]
HaltReason = Literal["kill_switch", "budget_exhausted", "loop_detected", "retired"]

EVENT_TYPES: Tuple[str, ...] = ("llm_call", "tool_call", "task_start", "task_end", "decision", "error", "log")


class ShapeError(ValueError):
    """An answer that does not have the documented shape."""


def _object(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ShapeError(f"{what}: expected an object")
    return value


def _text(data: Mapping[str, Any], key: str, what: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise ShapeError(f"{what}.{key}: expected text")
    return value


def _optional_text(data: Mapping[str, Any], key: str, what: str) -> Optional[str]:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ShapeError(f"{what}.{key}: expected text")
    return value


def _money(data: Mapping[str, Any], key: str, what: str) -> Decimal:
    try:
        return Decimal(_text(data, key, what))
    except InvalidOperation as error:
        raise ShapeError(f"{what}.{key}: not a decimal amount") from error


@dataclass(frozen=True)
class Budget:
    """The tightest budget that applies to the agent, in US dollars."""

    limit_usd: Decimal
    spent_usd: Decimal
    reserved_usd: Decimal
    remaining_usd: Decimal
    period_end: str

    @classmethod
    def from_json(cls, value: Any) -> "Budget":
        data = _object(value, "budget")
        return cls(
            limit_usd=_money(data, "limitUsd", "budget"),
            spent_usd=_money(data, "spentUsd", "budget"),
            reserved_usd=_money(data, "reservedUsd", "budget"),
            remaining_usd=_money(data, "remainingUsd", "budget"),
            period_end=_text(data, "periodEnd", "budget"),
        )


@dataclass(frozen=True)
class VersionRef:
    """An agent version: its id and the label people gave it."""

    id: str
    label: str

    @classmethod
    def from_json(cls, value: Any, what: str = "version") -> "VersionRef":
        data = _object(value, what)
        return cls(id=_text(data, "id", what), label=_text(data, "label", what))


@dataclass(frozen=True)
class Directives:
    """What the agent must do now.

    ``halt`` means stop (``reason`` says why: ``kill_switch``, ``budget_exhausted``,
    ``loop_detected`` or ``retired``). ``revision`` is sent back in heartbeats once applied.
    """

    halt: bool
    revision: int
    reason: Optional[str] = None
    kill_switch_id: Optional[str] = None
    budget: Optional[Budget] = None
    version: Optional[VersionRef] = None

    @classmethod
    def from_json(cls, value: Any) -> "Directives":
        data = _object(value, "directives")
        halt = data.get("halt")
        revision = data.get("revision", 0)
        if not isinstance(halt, bool):
            raise ShapeError("directives.halt: expected true or false")
        if not isinstance(revision, int) or isinstance(revision, bool) or revision < 0:
            raise ShapeError("directives.revision: expected a whole number")
        budget = data.get("budget")
        version = data.get("version")
        return cls(
            halt=halt,
            revision=revision,
            reason=_optional_text(data, "reason", "directives"),
            kill_switch_id=_optional_text(data, "killSwitchId", "directives"),
            budget=None if budget is None else Budget.from_json(budget),
            version=None if version is None else VersionRef.from_json(version, "directives.version"),
        )


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    policy_id: Optional[str] = None


@dataclass(frozen=True)
class ModelRef:
    name: str
    provider: str


@dataclass(frozen=True)
class ModelChoice:
    """The model routing picked, and its ordered fallbacks."""

    name: str
    provider: str
    fallbacks: Tuple[ModelRef, ...] = ()


@dataclass(frozen=True)
class Decision:
    """The answer to :meth:`AgentryClient.decide`. A deny is an answer, not an error."""

    decision: DecisionVerdict
    decision_id: str
    reasons: Tuple[Reason, ...]
    directives: Directives
    approval_id: Optional[str] = None
    model: Optional[ModelChoice] = None
    version: Optional[VersionRef] = None

    @property
    def allowed(self) -> bool:
        return self.decision == "allow"

    @classmethod
    def from_json(cls, value: Any) -> "Decision":
        data = _object(value, "decision")
        verdict = data.get("decision")
        if verdict not in ("allow", "deny", "require_approval"):
            raise ShapeError("decision.decision: expected allow, deny or require_approval")
        reasons = data.get("reasons", [])
        if not isinstance(reasons, list):
            raise ShapeError("decision.reasons: expected a list")
        model = data.get("model")
        version = data.get("version")
        return cls(
            decision=verdict,
            decision_id=_text(data, "decisionId", "decision"),
            reasons=tuple(
                Reason(
                    code=_text(_object(r, "reason"), "code", "reason"),
                    message=_text(_object(r, "reason"), "message", "reason"),
                    policy_id=_optional_text(_object(r, "reason"), "policyId", "reason"),
                )
                for r in reasons
            ),
            directives=Directives.from_json(data.get("directives")),
            approval_id=_optional_text(data, "approvalId", "decision"),
            model=None if model is None else _model_choice(model),
            version=None if version is None else VersionRef.from_json(version, "decision.version"),
        )


def _model_choice(value: Any) -> ModelChoice:
    data = _object(value, "model")
    fallbacks = data.get("fallbacks", [])
    if not isinstance(fallbacks, list):
        raise ShapeError("model.fallbacks: expected a list")
    return ModelChoice(
        name=_text(data, "name", "model"),
        provider=_text(data, "provider", "model"),
        fallbacks=tuple(ModelRef(_text(_object(f, "fallback"), "name", "fallback"), _text(_object(f, "fallback"), "provider", "fallback")) for f in fallbacks),
    )


@dataclass(frozen=True)
class ApprovalStatus:
    """Where an approval request stands: ``pending``, ``approved``, ``denied`` or ``expired``."""

    status: ApprovalState
    decided_by: Optional[str] = None
    decided_at: Optional[str] = None

    @classmethod
    def from_json(cls, value: Any) -> "ApprovalStatus":
        data = _object(value, "approval")
        status = data.get("status")
        if status not in ("pending", "approved", "denied", "expired"):
            raise ShapeError("approval.status: expected pending, approved, denied or expired")
        return cls(status=status, decided_by=_optional_text(data, "decidedBy", "approval"), decided_at=_optional_text(data, "decidedAt", "approval"))


@dataclass(frozen=True)
class Rejection:
    """An event the server refused, with the reason and the event itself. Refused events are not resent."""

    index: int
    code: str
    message: str
    event: Dict[str, Any]


@dataclass
class ClientStats:
    """Counters of what the client did with the events handed to it."""

    #: Events handed to track().
    tracked: int = 0
    #: Events in requests the server answered with 200 or 207.
    sent: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    #: Dropped unsent: the queue was full, or track() was called after close().
    dropped: int = 0
    #: Given up after their retries, or refused as a whole batch with a 4xx.
    failed: int = 0
    #: Requests repeated after a retryable failure.
    retries: int = 0
    batches: int = 0


@dataclass(frozen=True)
class EventsAnswer:
    """The server's answer to one batch (POST /api/v1/events)."""

    accepted: int
    duplicates: int
    rejected: List[Dict[str, Any]] = field(default_factory=list)
    directives: Optional[Directives] = None

    @classmethod
    def from_json(cls, value: Any) -> "EventsAnswer":
        data = _object(value, "events answer")
        accepted, duplicates, rejected = data.get("accepted"), data.get("duplicates"), data.get("rejected", [])
        if not isinstance(accepted, int) or not isinstance(duplicates, int) or not isinstance(rejected, list):
            raise ShapeError("events answer: expected accepted, duplicates and rejected")
        directives = data.get("directives")
        return cls(accepted, duplicates, [dict(_object(r, "rejection")) for r in rejected], None if directives is None else Directives.from_json(directives))
