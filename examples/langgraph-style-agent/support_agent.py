"""A customer-support agent as a small graph, governed by Agentry.

    classify ─┬─ refund ──▶ lookup_order ──▶ issue_refund ─┐
              ├─ delete ──▶ delete_customer_data ──────────┼──▶ respond ──▶ END
              └─ other ───▶ search_kb ─────────────────────┘

Every tool call asks Agentry first (``decide``): an allowed call runs, a denied one does not, and
one that needs a person waits for their approval. The model comes from Agentry's routing. The
whole run is reported as OpenTelemetry GenAI spans over OTLP/HTTP JSON (``agentry.Tracer``):
each span becomes an event in Agentry, under the conversation id.

Run it (with the demo: the support-chatbot key from .data/demo.json):

    pip install ./sdk/python     # or: export PYTHONPATH=sdk/python
    AGENTRY_URL=http://localhost:3000 AGENTRY_KEY=agt_... \\
        python3 examples/langgraph-style-agent/support_agent.py "Please refund order A-1001" --amount 40

It prints what happened as JSON. The model and the tools are stand-ins (``answer_with_model``
and ``TOOLS``): replace them with your model client and your systems.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from typing import Any, Callable, Dict, List, Mapping

from agentry import AgentryClient, SpanKind, Tracer

from graph import END, State, StateGraph

AGENT = "support-chatbot"


class ToolRefused(Exception):
    """Agentry said no (or nobody approved in time): the tool did not run."""

    def __init__(self, tool: str, verdict: str, reasons: List[str]) -> None:
        super().__init__(f"{tool}: {verdict} ({'; '.join(reasons)})")
        self.tool = tool
        self.verdict = verdict


# ---- stand-ins for your model and your systems ------------------------------------------------------

ORDERS = {"A-1001": {"customer": "c-77", "total": 129.0, "status": "delivered"}}
TOOLS: Dict[str, Callable[..., Any]] = {
    "order_lookup": lambda orderId: ORDERS.get(orderId, {"status": "unknown"}),
    "issue_refund": lambda orderId, amount: {"refundId": f"rf-{uuid.uuid4().hex[:8]}", "orderId": orderId, "amount": amount},
    "delete_records": lambda customer: {"deleted": customer},
    "kb_search": lambda query: [{"title": "Shipping times", "score": 0.82}],
}


def answer_with_model(model: str, prompt: str) -> Dict[str, Any]:
    """A deterministic stand-in for a chat model: replace with your provider's client."""
    text = prompt.lower()
    if prompt.startswith("classify:"):
        content = "refund" if "refund" in text else "delete" if "delete" in text else "other"
    else:
        content = f"[{model}] {prompt.split(':', 1)[1].strip()}"
    return {"content": content, "input_tokens": len(prompt.split()) * 4, "output_tokens": len(content.split()) * 4}


# ---- governance: ask before each tool call, report each call as a span --------------------------------


class GovernedTools:
    def __init__(self, agentry: AgentryClient, tracer: Tracer, conversation_id: str, approval_timeout: float) -> None:
        self.agentry = agentry
        self.tracer = tracer
        self.conversation_id = conversation_id
        self.approval_timeout = approval_timeout
        self.calls: List[Dict[str, Any]] = []

    def call(self, tool: str, **arguments: Any) -> Any:
        """Runs ``tool`` only if Agentry allows it (after a person's approval where a policy asks for one)."""
        decision = self.agentry.decide("tool", tool, arguments, task_id=self.conversation_id)
        record: Dict[str, Any] = {"tool": tool, "decision": decision.decision, "decisionId": decision.decision_id, "ran": False}
        self.calls.append(record)
        if decision.decision == "require_approval" and decision.approval_id:
            record["approvalId"] = decision.approval_id
            approval = self.agentry.wait_for_approval(decision.approval_id, timeout=self.approval_timeout)
            record["approval"] = approval.status
            if approval.status == "approved":
                # The approved request allows this same call once.
                decision = self.agentry.decide("tool", tool, arguments, task_id=self.conversation_id, approval_id=decision.approval_id)
                record.update(decision=decision.decision, decisionId=decision.decision_id)
        if not decision.allowed:
            raise ToolRefused(tool, record.get("approval", decision.decision), [reason.message for reason in decision.reasons])
        with self.tracer.span(f"execute_tool {tool}", attributes={"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": tool, "gen_ai.conversation.id": self.conversation_id, "agentry.decision_id": decision.decision_id}):
            result = TOOLS[tool](**arguments)
        record["ran"] = True
        return result


def chat(tracer: Tracer, model: Mapping[str, str], conversation_id: str, prompt: str) -> str:
    with tracer.span(f"chat {model['name']}", kind=SpanKind.CLIENT) as span:
        answer = answer_with_model(model["name"], prompt)
        span.set_attributes(
            {
                "gen_ai.operation.name": "chat",
                "gen_ai.provider.name": model["provider"],
                "gen_ai.request.model": model["name"],
                "gen_ai.usage.input_tokens": answer["input_tokens"],
                "gen_ai.usage.output_tokens": answer["output_tokens"],
                "gen_ai.conversation.id": conversation_id,
            }
        )
        return str(answer["content"])


# ---- the graph ----------------------------------------------------------------------------------------


def build_graph(tools: GovernedTools, tracer: Tracer, model: Mapping[str, str]) -> StateGraph:
    def classify(state: State) -> Dict[str, Any]:
        return {"intent": chat(tracer, model, state["conversation_id"], f"classify: {state['ticket']}")}

    def lookup_order(state: State) -> Dict[str, Any]:
        return {"order": tools.call("order_lookup", orderId=state["order_id"])}

    def issue_refund(state: State) -> Dict[str, Any]:
        try:
            return {"refund": tools.call("issue_refund", orderId=state["order_id"], amount=state["amount"])}
        except ToolRefused as refused:
            return {"refused": f"The refund was not issued: {refused.verdict}."}

    def delete_customer_data(state: State) -> Dict[str, Any]:
        try:
            return {"deleted": tools.call("delete_records", customer=state["customer"])}
        except ToolRefused as refused:
            return {"refused": f"Deleting records is not something I may do ({refused.verdict}); a person will follow up."}

    def search_kb(state: State) -> Dict[str, Any]:
        return {"articles": tools.call("kb_search", query=state["ticket"])}

    def respond(state: State) -> Dict[str, Any]:
        outcome = state.get("refused") or (f"Refund {state['refund']['refundId']} issued." if state.get("refund") else "Here is what I found.")
        return {"reply": chat(tracer, model, state["conversation_id"], f"reply: {outcome}")}

    graph = StateGraph()
    for name, node in [
        ("classify", classify),
        ("lookup_order", lookup_order),
        ("issue_refund", issue_refund),
        ("delete_customer_data", delete_customer_data),
        ("search_kb", search_kb),
        ("respond", respond),
    ]:
        graph.add_node(name, node)
    graph.set_entry_point("classify")
    graph.add_conditional_edges("classify", lambda state: {"refund": "lookup_order", "delete": "delete_customer_data"}.get(state["intent"], "search_kb"))
    graph.add_edge("lookup_order", "issue_refund")
    graph.add_edge("issue_refund", "respond")
    graph.add_edge("delete_customer_data", "respond")
    graph.add_edge("search_kb", "respond")
    graph.add_edge("respond", END)
    return graph


def run(ticket: str, order_id: str, amount: float, customer: str, approval_timeout: float) -> Dict[str, Any]:
    conversation_id = f"conv-{uuid.uuid4()}"
    with AgentryClient(os.environ["AGENTRY_URL"], os.environ["AGENTRY_KEY"], instance_id="support-graph-1") as agentry:
        tracer = Tracer(agentry, service_name=AGENT)
        halted: List[str] = []
        agentry.on_halt(lambda directives: halted.append(directives.reason or "halt"))
        # Which model to use is routing's call; the answer also carries the agent's directives.
        routed = agentry.decide("model", "auto", task_type="classification", task_id=conversation_id)
        if not routed.allowed or routed.model is None or halted:
            return {"conversationId": conversation_id, "halted": halted, "decision": routed.decision}
        model = {"name": routed.model.name, "provider": routed.model.provider}
        tools = GovernedTools(agentry, tracer, conversation_id, approval_timeout)
        with tracer.span(
            f"invoke_agent {AGENT}",
            attributes={"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": AGENT, "gen_ai.conversation.id": conversation_id},
        ):
            final = build_graph(tools, tracer, model).invoke(
                {"ticket": ticket, "order_id": order_id, "amount": amount, "customer": customer, "conversation_id": conversation_id}
            )
        exported = tracer.flush()
    return {"conversationId": conversation_id, "model": model, "intent": final["intent"], "reply": final["reply"], "toolCalls": tools.calls, "spans": exported}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ticket", help="what the customer wrote")
    parser.add_argument("--order", default="A-1001")
    parser.add_argument("--amount", type=float, default=40.0)
    parser.add_argument("--customer", default="c-77")
    parser.add_argument("--approval-timeout", type=float, default=300.0, help="seconds to wait for a person's approval")
    args = parser.parse_args()
    print(json.dumps(run(args.ticket, args.order, args.amount, args.customer, args.approval_timeout), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
