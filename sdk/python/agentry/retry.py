"""Retry timing: exponential backoff with full jitter, and the server's Retry-After.

Full jitter (a random wait between 0 and the capped exponential) keeps a fleet of agents that
failed together from retrying together.
"""

from __future__ import annotations

import random as _random
import re
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Callable, Optional

#: A Retry-After beyond this is treated as this: no agent should sleep for hours on one header.
MAX_RETRY_AFTER = 600.0


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a failed request is repeated."""

    #: Retries after the first attempt.
    retries: int = 5
    #: The first backoff's ceiling in seconds; it doubles with each retry.
    base_delay: float = 0.25
    #: No backoff waits longer than this (a server's Retry-After is honoured as sent).
    max_delay: float = 10.0


def backoff_delay(attempt: int, policy: RetryPolicy, random: Callable[[], float] = _random.random) -> float:
    """The wait in seconds before retry number ``attempt`` (0 for the first retry)."""
    ceiling = min(policy.max_delay, policy.base_delay * float(2 ** min(attempt, 30)))
    return random() * ceiling


_SECONDS = re.compile(r"^\d+(\.\d+)?$")


def parse_retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Retry-After in seconds, from delay-seconds or an HTTP date; None when absent or unreadable."""
    if value is None:
        return None
    text = value.strip()
    if _SECONDS.match(text):
        return min(MAX_RETRY_AFTER, float(text))
    try:
        at = parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    current = time.time() if now is None else now
    return min(MAX_RETRY_AFTER, max(0.0, at - current))


def is_retryable_status(status: int) -> bool:
    """Rate limits and the server's own failures are worth another try."""
    return status == 429 or status >= 500
