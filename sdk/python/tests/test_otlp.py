"""Spans made with the standard library, sent as OTLP/JSON through the client (a loopback server
stands in for Agentry and records the export)."""

from __future__ import annotations

import math
import unittest
from typing import Any, Dict, List, Tuple

from agentry import AgentryApiError, AgentryClient, RetryPolicy, SpanKind, StatusCode, Tracer
from agentry.otlp import any_value, key_values

from .support import Recorded, Reply, ScriptedServer


class AnyValueTest(unittest.TestCase):
    def test_maps_python_values_to_otlp_json(self) -> None:
        self.assertEqual(any_value(True), {"boolValue": True})
        self.assertEqual(any_value(2**60), {"intValue": "1152921504606846976"})
        self.assertEqual(any_value(0.25), {"doubleValue": 0.25})
        self.assertEqual(any_value(math.nan), {"doubleValue": "NaN"})
        self.assertEqual(any_value(-math.inf), {"doubleValue": "-Infinity"})
        self.assertEqual(any_value(b"\x00\xff"), {"bytesValue": "AP8="})
        self.assertEqual(any_value(["a", 1]), {"arrayValue": {"values": [{"stringValue": "a"}, {"intValue": "1"}]}})
        self.assertEqual(any_value({"k": "v"}), {"kvlistValue": {"values": [{"key": "k", "value": {"stringValue": "v"}}]}})
        self.assertEqual(key_values({"kept": "x", "left out": None}), [{"key": "kept", "value": {"stringValue": "x"}}])


class TracerTest(unittest.TestCase):
    def setUp(self) -> None:
        self.answers: List[Tuple[int, Dict[str, Any]]] = []
        self.server = ScriptedServer(self._answer)
        self.client = AgentryClient(self.server.url, "agt_test", instance_id="worker-3", retry=RetryPolicy(retries=1, base_delay=0.001, max_delay=0.001))

    def tearDown(self) -> None:
        self.client.close()
        self.server.close()

    def _answer(self, request: Recorded, reply: Reply, index: int) -> None:
        status, body = self.answers[index] if index < len(self.answers) else (200, {})
        reply.json(status, body)

    def exported_spans(self, index: int = 0) -> List[Dict[str, Any]]:
        return self.server.to("/api/v1/otlp/v1/traces")[index].body["resourceSpans"][0]["scopeSpans"][0]["spans"]

    def test_nested_spans_share_a_trace_and_name_their_parent(self) -> None:
        tracer = Tracer(self.client, service_name="support-chatbot")
        with tracer.span("invoke_agent", attributes={"gen_ai.operation.name": "invoke_agent"}) as agent:
            with tracer.span("chat gpt-4.1-mini", kind=SpanKind.CLIENT) as chat:
                chat.set_attributes({"gen_ai.operation.name": "chat", "gen_ai.usage.input_tokens": 12})
                self.assertIs(tracer.current_span, chat)
            self.assertIs(tracer.current_span, agent)
        self.assertIsNone(tracer.current_span)
        self.assertEqual(tracer.flush(), {"exported": 2, "rejected": 0})

        request = self.server.to("/api/v1/otlp/v1/traces")[0]
        self.assertEqual(request.headers["content-type"], "application/json")
        resource = request.body["resourceSpans"][0]["resource"]["attributes"]
        self.assertIn({"key": "service.name", "value": {"stringValue": "support-chatbot"}}, resource)
        self.assertIn({"key": "service.instance.id", "value": {"stringValue": "worker-3"}}, resource)
        chat_span, agent_span = self.exported_spans()
        self.assertEqual(chat_span["traceId"], agent_span["traceId"])
        self.assertEqual(chat_span["parentSpanId"], agent_span["spanId"])
        self.assertNotIn("parentSpanId", agent_span)
        self.assertRegex(agent_span["traceId"], r"^[0-9a-f]{32}$")
        self.assertRegex(agent_span["spanId"], r"^[0-9a-f]{16}$")
        self.assertEqual(chat_span["kind"], 3)
        self.assertLessEqual(int(agent_span["startTimeUnixNano"]), int(chat_span["startTimeUnixNano"]))
        self.assertLessEqual(int(chat_span["endTimeUnixNano"]), int(agent_span["endTimeUnixNano"]))
        self.assertIn({"key": "gen_ai.usage.input_tokens", "value": {"intValue": "12"}}, chat_span["attributes"])

    def test_an_exception_marks_the_span_failed_and_goes_on(self) -> None:
        tracer = Tracer(self.client)
        with self.assertRaises(TimeoutError):
            with tracer.span("execute_tool search_kb"):
                raise TimeoutError("search index unavailable")
        tracer.flush()
        (span,) = self.exported_spans()
        self.assertEqual(span["status"], {"code": int(StatusCode.ERROR), "message": "search index unavailable"})
        self.assertIn({"key": "error.type", "value": {"stringValue": "TimeoutError"}}, span["attributes"])

    def test_reports_rejected_spans_and_keeps_spans_whose_export_failed_for_the_next_flush(self) -> None:
        self.answers = [
            (500, {"error": {"code": "internal_error", "message": "down"}}),
            (500, {"error": {"code": "internal_error", "message": "down"}}),
            (200, {"partialSuccess": {"rejectedSpans": 1, "errorMessage": "span 0: agent: required"}}),
        ]
        tracer = Tracer(self.client)
        with tracer.span("one"):
            pass
        with tracer.span("two"):
            pass
        with self.assertRaises(AgentryApiError):
            tracer.flush()
        self.assertEqual(tracer.flush(), {"exported": 1, "rejected": 1})
        first_try = [span["spanId"] for span in self.exported_spans(0)]
        self.assertEqual([span["spanId"] for span in self.exported_spans(2)], first_try)


if __name__ == "__main__":
    unittest.main()
