"""support-chatbot asks to refund 500 on an order and waits for a person to decide.

Run by e2e/python-client.spec.ts, which approves the request in the console meanwhile. Prints one
JSON line when the request is made ({"decision", "approvalId"}) and one when the wait ends
({"status", "decidedBy"}). Usage, in sdk/python: python3 -m live_tests.wait_for_refund ORDER_ID
(with AGENTRY_URL and AGENTRY_DEMO_JSON set).
"""

from __future__ import annotations

import json
import os
import sys

from agentry import AgentryClient


def say(message: dict) -> None:
    print(json.dumps(message), flush=True)


def main(order_id: str) -> int:
    with open(os.environ["AGENTRY_DEMO_JSON"], encoding="utf-8") as file:
        key = json.load(file)["agentKeys"]["support-chatbot"]
    with AgentryClient(os.environ["AGENTRY_URL"], key) as agentry:
        decision = agentry.decide("tool", "issue_refund", {"amount": 500, "orderId": order_id})
        say({"decision": decision.decision, "approvalId": decision.approval_id})
        if decision.decision != "require_approval" or decision.approval_id is None:
            return 1
        approval = agentry.wait_for_approval(decision.approval_id, timeout=90, poll=20)
        say({"status": approval.status, "decidedBy": approval.decided_by})
        if approval.status == "approved":
            # With the approval, the same call is allowed once.
            retry = agentry.decide("tool", "issue_refund", {"amount": 500, "orderId": order_id}, approval_id=decision.approval_id)
            say({"decisionWithApproval": retry.decision})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
