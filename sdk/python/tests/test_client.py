"""The client's own logic (batching, retries that keep ids, Retry-After, rejections, directives,
approvals) against a real HTTP server on the loopback interface."""

from __future__ import annotations

import json
import threading
import time
import unittest
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Dict, List

from agentry import AgentryApiError, AgentryClient, Directives, Rejection, RetryPolicy

from .support import RUNNING, Recorded, Reply, ScriptedServer, accept_all, wait_for

KILLED: Dict[str, Any] = {"halt": True, "reason": "kill_switch", "killSwitchId": "ks-1", "budget": None, "revision": 4}
QUICK_RETRY = RetryPolicy(retries=3, base_delay=0.005, max_delay=0.02)


class ClientTestCase(unittest.TestCase):
    def setUp(self) -> None:
        self.server = ScriptedServer()
        self.clients: List[AgentryClient] = []
        self.errors: List[BaseException] = []

    def tearDown(self) -> None:
        for client in self.clients:
            client.close(timeout=5)
        self.server.close()

    def client(self, **options: Any) -> AgentryClient:
        options.setdefault("retry", QUICK_RETRY)
        options.setdefault("on_error", self.errors.append)
        made = AgentryClient(self.server.url, "agt_test", **options)
        self.clients.append(made)
        return made

    def event_ids(self, index: int) -> List[str]:
        return [event["id"] for event in self.server.to("/api/v1/events")[index].body["events"]]


class BatchingTest(ClientTestCase):
    def test_a_full_batch_goes_out_at_once_without_waiting_for_the_interval(self) -> None:
        agent = self.client(batch_size=3, flush_interval=60)
        for i in range(7):
            agent.track("log", attributes={"i": i})
        wait_for(lambda: len(self.server.to("/api/v1/events")) == 2)
        self.assertEqual(len(self.event_ids(0)), 3)
        self.assertEqual(len(self.event_ids(1)), 3)
        self.assertEqual(agent.queued, 1)
        self.assertTrue(agent.flush(timeout=5))
        self.assertEqual(len(self.event_ids(2)), 1)
        self.assertEqual((agent.stats.tracked, agent.stats.sent, agent.stats.accepted, agent.stats.batches), (7, 7, 7, 3))

    def test_a_partial_batch_goes_out_when_the_interval_passes(self) -> None:
        agent = self.client(batch_size=100, flush_interval=0.05)
        started = time.monotonic()
        agent.track("llm_call", model="gpt-5-mini", input_tokens=10, output_tokens=2)
        agent.track("tool_call", tool="kb_search")
        wait_for(lambda: len(self.server.to("/api/v1/events")) == 1)
        self.assertGreaterEqual(self.server.to("/api/v1/events")[0].at - started, 0.045)
        self.assertEqual(len(self.event_ids(0)), 2)

    def test_fills_id_timestamp_instance_and_version_and_keeps_ids_the_agent_chose(self) -> None:
        agent = self.client(instance_id="worker-7", version="2.1.0")
        chosen = agent.track("log", id="my-id-1", timestamp=datetime(2026, 11, 1, tzinfo=timezone.utc))
        made = agent.track("llm_call", task_id="t-1", cost_usd=Decimal("0.0125"), input_tokens=5)
        agent.flush()
        sent = self.server.to("/api/v1/events")[0].body["events"]
        self.assertEqual(chosen, "my-id-1")
        self.assertEqual(sent[0], {"id": "my-id-1", "type": "log", "timestamp": "2026-11-01T00:00:00.000Z", "instanceId": "worker-7", "version": "2.1.0"})
        self.assertEqual(sent[1]["id"], made)
        self.assertRegex(made, r"^[0-9a-f-]{36}$")
        self.assertEqual((sent[1]["taskId"], sent[1]["costUsd"], sent[1]["inputTokens"]), ("t-1", "0.0125", 5))
        datetime.fromisoformat(sent[1]["timestamp"].replace("Z", "+00:00"))

    def test_drops_the_oldest_events_when_the_queue_is_full_and_counts_them(self) -> None:
        agent = self.client(batch_size=100, flush_interval=60, max_queue=5)
        ids = [agent.track("log", attributes={"i": i}) for i in range(8)]
        self.assertEqual(agent.stats.dropped, 3)
        agent.flush()
        self.assertEqual(self.event_ids(0), ids[3:])

    def test_refuses_at_once_an_event_that_could_never_be_sent(self) -> None:
        agent = self.client()
        with self.assertRaises(ValueError):
            agent.track("thought")
        with self.assertRaises(ValueError):
            agent.track("log", attributes={"score": float("nan")})
        with self.assertRaises(TypeError):
            agent.track("log", attributes={"handle": object()})
        self.assertEqual(agent.queued, 0)

    def test_events_tracked_after_close_are_dropped_and_counted(self) -> None:
        agent = self.client()
        agent.track("log")
        agent.close()
        agent.track("log")
        self.assertEqual(len(self.server.to("/api/v1/events")), 1)
        self.assertEqual(agent.stats.dropped, 1)


class RetryTest(ClientTestCase):
    def test_a_503_and_a_dropped_connection_are_retried_with_the_same_event_ids(self) -> None:
        def flaky(request: Recorded, reply: Reply, index: int) -> None:
            if index == 0:
                reply.json(503, {"error": {"code": "internal_error", "message": "busy"}})
            elif index == 1:
                reply.drop()
            else:
                accept_all(request, reply, index)

        self.server.handle(flaky)
        agent = self.client()
        ids = [agent.track("log"), agent.track("log")]
        agent.flush()
        self.assertEqual([self.event_ids(i) for i in range(3)], [ids, ids, ids])
        self.assertEqual((agent.stats.retries, agent.stats.accepted, agent.stats.failed), (2, 2, 0))

    def test_a_429_waits_as_long_as_retry_after_says(self) -> None:
        def limited(request: Recorded, reply: Reply, index: int) -> None:
            if index == 0:
                reply.json(429, {"error": {"code": "rate_limited", "message": "slow down"}}, {"Retry-After": "1"})
            else:
                accept_all(request, reply, index)

        self.server.handle(limited)
        agent = self.client()
        agent.track("log")
        agent.flush()
        first, second = self.server.to("/api/v1/events")
        self.assertGreaterEqual(second.at - first.at, 0.95)
        self.assertEqual(agent.stats.retries, 1)

    def test_backoff_grows_with_full_jitter_between_attempts(self) -> None:
        self.server.handle(lambda request, reply, index: reply.json(500, {"error": {"code": "internal_error", "message": "down"}}))
        # random() = 1 puts each wait at its ceiling: 0.1, 0.2 s.
        agent = self.client(retry=RetryPolicy(retries=2, base_delay=0.1, max_delay=1.0), random=lambda: 0.999)
        agent.track("log")
        agent.flush()
        times = [r.at for r in self.server.to("/api/v1/events")]
        self.assertEqual(len(times), 3)
        self.assertGreaterEqual(times[1] - times[0], 0.09)
        self.assertGreaterEqual(times[2] - times[1], 0.19)
        self.assertEqual(agent.stats.failed, 1)
        last = self.errors[-1]
        assert isinstance(last, AgentryApiError)
        self.assertEqual(last.code, "internal_error")

    def test_a_400_is_not_retried_and_its_events_are_reported_with_their_reasons(self) -> None:
        self.server.handle(
            lambda request, reply, index: reply.json(
                400,
                {"error": {"code": "invalid_request", "message": "no valid event", "details": [{"path": "events.0.timestamp", "message": "too far ahead", "index": 0}]}},
            )
        )
        rejected: List[Rejection] = []
        agent = self.client(on_rejected=rejected.extend)
        bad = agent.track("log", timestamp="2999-01-01T00:00:00Z")
        agent.flush()
        self.assertEqual(len(self.server.to("/api/v1/events")), 1)
        self.assertEqual([(r.index, r.code, r.event["id"]) for r in rejected], [(0, "invalid_event", bad)])
        self.assertIn("too far ahead", rejected[0].message)
        self.assertEqual(agent.stats.failed, 1)

    def test_a_207_reports_the_refused_events_and_does_not_resend_them(self) -> None:
        def partly(request: Recorded, reply: Reply, index: int) -> None:
            reply.json(207, {"accepted": 1, "duplicates": 0, "rejected": [{"index": 1, "code": "invalid_timestamp", "message": "too far ahead"}], "directives": RUNNING})

        self.server.handle(partly)
        rejected: List[Rejection] = []
        agent = self.client(on_rejected=rejected.extend)
        agent.track("log")
        bad = agent.track("log", timestamp="2999-01-01T00:00:00Z")
        agent.flush()
        self.assertEqual(len(self.server.to("/api/v1/events")), 1)
        self.assertEqual([(r.index, r.code, r.event["id"]) for r in rejected], [(1, "invalid_timestamp", bad)])
        self.assertEqual((agent.stats.accepted, agent.stats.rejected, agent.stats.failed), (1, 1, 0))

    def test_a_413_splits_the_batch_in_halves_that_keep_their_ids(self) -> None:
        def small(request: Recorded, reply: Reply, index: int) -> None:
            if len(request.body["events"]) > 2:
                reply.json(413, {"error": {"code": "payload_too_large", "message": "too big"}})
            else:
                accept_all(request, reply, index)

        self.server.handle(small)
        agent = self.client(batch_size=4, flush_interval=60)
        ids = [agent.track("log") for _ in range(4)]
        agent.flush()
        self.assertEqual([self.event_ids(i) for i in range(3)], [ids, ids[:2], ids[2:]])
        self.assertEqual(agent.stats.accepted, 4)

    def test_errors_carry_the_apis_code_message_and_details(self) -> None:
        self.server.handle(
            lambda request, reply, index: reply.json(
                400, {"error": {"code": "invalid_request", "message": "bad action", "details": [{"path": "action.type", "message": "expected tool"}]}}
            )
        )
        agent = self.client()
        with self.assertRaises(AgentryApiError) as caught:
            agent.decide("spell", "fireball")
        error = caught.exception
        self.assertEqual((error.status, error.code, error.message, error.retryable), (400, "invalid_request", "bad action", False))
        self.assertEqual(error.details, [{"path": "action.type", "message": "expected tool"}])

    def test_no_answer_at_all_is_a_network_error_after_the_retries(self) -> None:
        agent = AgentryClient("http://127.0.0.1:9", "agt_test", retry=RetryPolicy(retries=1, base_delay=0.001, max_delay=0.001))
        self.clients.append(agent)
        with self.assertRaises(AgentryApiError) as caught:
            agent.heartbeat()
        self.assertEqual((caught.exception.status, caught.exception.code), (0, "network_error"))
        self.assertEqual(agent.stats.retries, 1)


class DecisionsTest(ClientTestCase):
    def test_decide_sends_the_action_and_reads_the_verdict_a_deny_is_an_answer(self) -> None:
        self.server.handle(
            lambda request, reply, index: reply.json(
                200,
                {
                    "decision": "deny",
                    "decisionId": "d-1",
                    "reasons": [{"code": "policy_denied", "message": "No agent deletes records", "policyId": "p-9"}],
                    "directives": {**RUNNING, "budget": {"limitUsd": "100.00", "spentUsd": "12.50", "reservedUsd": "0.25", "remainingUsd": "87.25", "periodEnd": "2026-12-01T00:00:00Z"}},
                },
            )
        )
        agent = self.client(instance_id="worker-1")
        decision = agent.decide("tool", "delete_records", {"table": "orders"}, task_id="t-9", estimated_cost_usd=Decimal("0.02"), data_classes=["PII"])
        self.assertEqual(
            self.server.to("/api/v1/decide")[0].body,
            {"action": {"type": "tool", "name": "delete_records", "arguments": {"table": "orders"}}, "instanceId": "worker-1", "taskId": "t-9", "estimatedCostUsd": "0.02", "dataClasses": ["PII"]},
        )
        self.assertEqual((decision.decision, decision.allowed, decision.decision_id), ("deny", False, "d-1"))
        self.assertEqual(decision.reasons[0].policy_id, "p-9")
        assert agent.directives is not None and agent.directives.budget is not None
        self.assertEqual(agent.directives.budget.remaining_usd, Decimal("87.25"))

    def test_on_halt_is_called_once_per_halt_episode(self) -> None:
        answers = [KILLED, KILLED, {**KILLED, "killSwitchId": "ks-2"}, RUNNING, KILLED]
        self.server.handle(lambda request, reply, index: reply.json(200, {"directives": answers[index]}))
        agent = self.client()
        halts: List[Directives] = []
        agent.on_halt(halts.append)
        for _ in answers:
            agent.heartbeat()
        self.assertEqual([d.kill_switch_id for d in halts], ["ks-1", "ks-2", "ks-1"])

    def test_heartbeats_send_back_the_directives_revision_they_applied(self) -> None:
        self.server.handle(lambda request, reply, index: reply.json(200, {"directives": RUNNING}))
        agent = self.client(instance_id="worker-2", version="1.4.0")
        agent.heartbeat(status="starting")
        agent.heartbeat()
        first, second = (r.body for r in self.server.to("/api/v1/heartbeat"))
        self.assertEqual(first, {"instanceId": "worker-2", "version": "1.4.0", "status": "starting"})
        self.assertEqual(second, {"instanceId": "worker-2", "version": "1.4.0", "directiveVersion": 3})

    def test_wait_for_approval_long_polls_until_a_person_decides(self) -> None:
        def approvals(request: Recorded, reply: Reply, index: int) -> None:
            if index < 2:
                reply.json(200, {"status": "pending"})
            else:
                reply.json(200, {"status": "approved", "decidedBy": "compliance@acme.test", "decidedAt": "2026-11-25T10:00:00Z"})

        self.server.handle(approvals)
        agent = self.client()
        status = agent.wait_for_approval("8d6f/1", timeout=30, poll=0.05)
        self.assertEqual((status.status, status.decided_by), ("approved", "compliance@acme.test"))
        polls = self.server.to("/api/v1/approvals/8d6f%2F1")
        self.assertEqual(len(polls), 3)
        self.assertEqual(polls[0].query, {"waitMs": "50"})

    def test_wait_for_approval_gives_back_pending_when_its_time_is_up(self) -> None:
        self.server.handle(lambda request, reply, index: reply.json(200, {"status": "pending"}))
        agent = self.client()
        started = time.monotonic()
        self.assertEqual(agent.wait_for_approval("a-1", timeout=0.3, poll=0.1).status, "pending")
        self.assertLess(time.monotonic() - started, 3)

    def test_an_answer_of_the_wrong_shape_is_an_invalid_response(self) -> None:
        self.server.handle(lambda request, reply, index: reply.json(200, {"decision": "maybe"}))
        with self.assertRaises(AgentryApiError) as caught:
            self.client().decide("tool", "kb_search")
        self.assertEqual(caught.exception.code, "invalid_response")


class DirectivesStreamTest(ClientTestCase):
    def test_follows_the_stream_reconnects_with_last_event_id_and_acknowledges_each_revision(self) -> None:
        def serve(request: Recorded, reply: Reply, index: int) -> None:
            if request.path == "/api/v1/heartbeat":
                reply.json(200, {"directives": KILLED if request.body.get("directiveVersion") == 4 else RUNNING})
            elif len(self.server.to("/api/v1/directives/stream")) == 1:
                reply.stream(["retry: 10\n\n", f"id: 3\nevent: directives\ndata: {json.dumps(RUNNING)}\n\n", ": keep-alive\n\n"])
            else:
                reply.stream([f"id: 4\r\nevent: directives\r\ndata: {json.dumps(KILLED)}\r\n\r\n"], hold=5)

        self.server.handle(serve)
        agent = self.client(instance_id="streamer-1")
        seen: List[Directives] = []
        halts: List[Directives] = []
        agent.on_halt(halts.append)
        unsubscribe = agent.subscribe_directives(seen.append)
        wait_for(lambda: len(seen) == 2, timeout=5)
        unsubscribe()
        self.assertEqual([d.revision for d in seen], [3, 4])
        self.assertEqual([d.reason for d in halts], ["kill_switch"])
        streams = self.server.to("/api/v1/directives/stream")
        self.assertEqual(streams[0].query, {"instanceId": "streamer-1"})
        self.assertEqual(streams[0].headers.get("accept"), "text/event-stream")
        self.assertEqual(streams[1].headers.get("last-event-id"), "3")
        wait_for(lambda: len(self.server.to("/api/v1/heartbeat")) == 2)
        self.assertEqual([r.body["directiveVersion"] for r in self.server.to("/api/v1/heartbeat")], [3, 4])
        self.assertEqual(agent.directives, seen[-1])

    def test_a_refused_key_ends_the_stream_and_says_why(self) -> None:
        self.server.handle(lambda request, reply, index: reply.json(401, {"error": {"code": "unauthorized", "message": "unknown key"}}))
        agent = self.client()
        agent.subscribe_directives(lambda directives: None)
        wait_for(lambda: any(isinstance(e, AgentryApiError) and e.code == "unauthorized" for e in self.errors))
        time.sleep(0.1)
        self.assertEqual(len(self.server.to("/api/v1/directives/stream")), 1)

    def test_unsubscribing_stops_an_open_stream_at_once(self) -> None:
        def serve(request: Recorded, reply: Reply, index: int) -> None:
            if request.path == "/api/v1/heartbeat":
                reply.json(200, {"directives": RUNNING})
            else:
                reply.stream([f"data: {json.dumps(RUNNING)}\n\n"], hold=10)

        self.server.handle(serve)
        agent = self.client()
        seen: List[Directives] = []
        unsubscribe = agent.subscribe_directives(seen.append)
        wait_for(lambda: len(seen) == 1)
        self.assertTrue(any(thread.name == "agentry-directives" for thread in threading.enumerate()))
        unsubscribe()
        wait_for(lambda: not any(thread.name == "agentry-directives" for thread in threading.enumerate()), timeout=2)
        self.assertEqual(len(self.server.to("/api/v1/directives/stream")), 1)


if __name__ == "__main__":
    unittest.main()
