"""Backoff with full jitter, and Retry-After in both its forms."""

from __future__ import annotations

import random
import unittest
from email.utils import formatdate

from agentry.retry import MAX_RETRY_AFTER, RetryPolicy, backoff_delay, parse_retry_after


class BackoffTest(unittest.TestCase):
    def test_stays_within_the_doubling_ceiling_capped_at_max_delay(self) -> None:
        policy = RetryPolicy(retries=10, base_delay=0.25, max_delay=10.0)
        rng = random.Random(7)
        for attempt in range(40):
            ceiling = min(10.0, 0.25 * 2**attempt)
            for _ in range(50):
                delay = backoff_delay(attempt, policy, rng.random)
                self.assertGreaterEqual(delay, 0.0)
                self.assertLess(delay, ceiling)

    def test_the_jitter_spreads_a_fleet_over_the_whole_window(self) -> None:
        policy = RetryPolicy(base_delay=1.0, max_delay=100.0)
        rng = random.Random(11)
        delays = [backoff_delay(3, policy, rng.random) for _ in range(1000)]
        self.assertLess(min(delays), 0.5)
        self.assertGreater(max(delays), 7.5)


class RetryAfterTest(unittest.TestCase):
    def test_reads_seconds(self) -> None:
        self.assertEqual(parse_retry_after("3"), 3.0)
        self.assertEqual(parse_retry_after(" 1.5 "), 1.5)

    def test_reads_an_http_date(self) -> None:
        now = 1_800_000_000.0
        self.assertAlmostEqual(parse_retry_after(formatdate(now + 30, usegmt=True), now=now) or -1.0, 30.0)
        self.assertEqual(parse_retry_after(formatdate(now - 30, usegmt=True), now=now), 0.0)

    def test_caps_what_no_agent_should_sleep_through(self) -> None:
        self.assertEqual(parse_retry_after("86400"), MAX_RETRY_AFTER)

    def test_ignores_what_it_cannot_read(self) -> None:
        self.assertIsNone(parse_retry_after(None))
        self.assertIsNone(parse_retry_after("soon"))
        self.assertIsNone(parse_retry_after("-5"))


if __name__ == "__main__":
    unittest.main()
