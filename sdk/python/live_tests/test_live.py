"""The Python client against a running Agentry with the demo org (run by e2e/python-client.spec.ts).

Environment: AGENTRY_URL (the app), AGENTRY_DEMO_JSON (the demo.json its start-up wrote: keys),
AGENTRY_REPORT (a file to write what was sent, so the caller can check the database).
"""

from __future__ import annotations

import json
import os
import threading
import unittest
import uuid
from typing import Any, Dict, List

from agentry import AgentryClient, Directives, HttpRequest, HttpResponse, RetryPolicy, Tracer, SpanKind, urllib_transport

REPORT: Dict[str, Any] = {}


def setting(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: these tests need a running Agentry (see e2e/python-client.spec.ts)")
    return value


def demo() -> Dict[str, Any]:
    with open(setting("AGENTRY_DEMO_JSON"), encoding="utf-8") as file:
        return json.load(file)


def agent_client(name: str, **options: Any) -> AgentryClient:
    key = demo()["agentKeys"][name]
    options.setdefault("retry", RetryPolicy(retries=4, base_delay=0.05, max_delay=0.5))
    return AgentryClient(setting("AGENTRY_URL"), key, **options)


def unique(label: str) -> str:
    return f"py-{label}-{uuid.uuid4().hex[:12]}"


def tearDownModule() -> None:
    path = os.environ.get("AGENTRY_REPORT")
    if path:
        with open(path, "w", encoding="utf-8") as file:
            json.dump(REPORT, file, indent=2)


class EventsTest(unittest.TestCase):
    def test_a_batch_whose_answer_was_lost_is_retried_with_the_same_ids_and_stored_once(self) -> None:
        calls: List[str] = []

        def lossy(request: HttpRequest) -> HttpResponse:
            # The server stores the batch, then the connection drops before the answer arrives.
            response = urllib_transport(request)
            calls.append(request.url)
            if len(calls) == 1:
                raise ConnectionResetError("connection reset after the server answered")
            return response

        task = unique("retry")
        with agent_client("access-reviewer", transport=lossy, instance_id="py-live-1", version="0.6.0") as client:
            ids = [
                client.track("task_start", task_id=task),
                client.track("llm_call", task_id=task, model="gpt-4.1-mini", provider="openai", input_tokens=1200, output_tokens=300, latency_ms=850),
                client.track("task_end", task_id=task, status="ok"),
            ]
            self.assertTrue(client.flush(timeout=30))
            stats = client.stats
        self.assertEqual(len(calls), 2)
        self.assertEqual((stats.retries, stats.accepted, stats.duplicates, stats.failed), (1, 0, 3, 0))
        REPORT["retried"] = {"taskId": task, "eventIds": ids}


class DecideTest(unittest.TestCase):
    def test_decisions_follow_the_demo_policies(self) -> None:
        with agent_client("support-chatbot") as chatbot, agent_client("content-writer") as writer:
            refund = chatbot.decide("tool", "issue_refund", {"amount": 500, "orderId": unique("order")}, task_id=unique("task"))
            small_refund = chatbot.decide("tool", "issue_refund", {"amount": 50, "orderId": unique("order")})
            search = chatbot.decide("tool", "kb_search", {"query": unique("query")})
            delete = chatbot.decide("tool", "delete_records", {"table": unique("table")})
            writer_delete = writer.decide("tool", "delete_records", {"table": unique("table")})

        self.assertEqual(refund.decision, "require_approval")
        self.assertIn("approval_required", [reason.code for reason in refund.reasons])
        self.assertRegex(refund.approval_id or "", r"^[0-9a-f-]{36}$")
        self.assertEqual(small_refund.decision, "allow")
        self.assertTrue(search.allowed)
        self.assertEqual(delete.decision, "deny")
        self.assertEqual(writer_delete.decision, "deny")
        self.assertIsInstance(delete.directives, Directives)
        REPORT["decisions"] = {
            "refund500": {"id": refund.decision_id, "agent": "support-chatbot", "decision": refund.decision},
            "refund50": {"id": small_refund.decision_id, "agent": "support-chatbot", "decision": small_refund.decision},
            "deleteChatbot": {"id": delete.decision_id, "agent": "support-chatbot", "decision": delete.decision},
            "deleteWriter": {"id": writer_delete.decision_id, "agent": "content-writer", "decision": writer_delete.decision},
        }

    def test_asks_routing_which_model_to_use(self) -> None:
        with agent_client("financial-analyst") as client:
            decision = client.decide("model", "auto", task_type="analysis")
        self.assertEqual(decision.decision, "allow")
        self.assertIsNotNone(decision.model)
        assert decision.model is not None
        self.assertTrue(decision.model.name and decision.model.provider)


class DirectivesTest(unittest.TestCase):
    def test_heartbeats_and_the_directives_stream(self) -> None:
        instance = unique("instance")
        with agent_client("kb-summarizer", instance_id=instance, version="1.0.3") as client:
            directives = client.heartbeat(status="ok")
            self.assertIsInstance(directives.halt, bool)
            received: List[Directives] = []
            arrived = threading.Event()

            def on_directives(d: Directives) -> None:
                received.append(d)
                arrived.set()

            unsubscribe = client.subscribe_directives(on_directives)
            self.assertTrue(arrived.wait(15), "no directives arrived on the stream within 15 s")
            unsubscribe()
        self.assertGreaterEqual(received[0].revision, 0)
        REPORT["heartbeat"] = {"agent": "kb-summarizer", "instanceId": instance, "version": "1.0.3"}


class OtlpTest(unittest.TestCase):
    def test_spans_from_the_tracer_become_events(self) -> None:
        conversation = unique("conversation")
        with AgentryClient(setting("AGENTRY_URL"), demo()["ingestKey"]) as client:
            tracer = Tracer(client, service_name="ticket-router")
            with tracer.span("invoke_agent ticket-router", attributes={"gen_ai.operation.name": "invoke_agent", "gen_ai.conversation.id": conversation}):
                with tracer.span("chat gpt-4.1-mini", kind=SpanKind.CLIENT) as chat:
                    chat.set_attributes(
                        {
                            "gen_ai.operation.name": "chat",
                            "gen_ai.request.model": "gpt-4.1-mini",
                            "gen_ai.usage.input_tokens": 800,
                            "gen_ai.usage.output_tokens": 40,
                            "gen_ai.conversation.id": conversation,
                        }
                    )
            self.assertEqual(tracer.flush(), {"exported": 2, "rejected": 0})
        REPORT["otlp"] = {"taskId": conversation, "agent": "ticket-router"}


if __name__ == "__main__":
    unittest.main()
