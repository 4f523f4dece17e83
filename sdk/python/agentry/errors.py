"""The client's one error type: what the API answered, or why no answer came."""

from __future__ import annotations

from typing import Any, List, Optional


class AgentryApiError(Exception):
    """An answer other than 2xx from the agent API, or no answer at all.

    ``status`` is the HTTP status (0 when no answer arrived). ``code`` is the API's error code
    (``invalid_request``, ``unauthorized``, ``forbidden``, ``not_found``, ``rate_limited``,
    ``internal_error``, ...) or one of the client's own: ``network_error``, ``timeout``,
    ``invalid_response``, ``http_error``. ``details`` lists the fields at fault
    (``{"path", "message", "index"?}``); ``retry_after`` is a 429's or 503's Retry-After in seconds.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Optional[List[dict[str, Any]]] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        """Rate limits, the server's own failures and lost connections are worth another try."""
        return self.status == 0 or self.status == 429 or self.status >= 500

    def __repr__(self) -> str:
        return f"AgentryApiError(status={self.status}, code={self.code!r}, message={self.message!r})"
