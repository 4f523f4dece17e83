import { describe, expect, it } from "vitest";
import { alertAction, deliveryStatus, kindLabel, kindsSummary, reasonOf, severityTone } from "./present";

describe("alert presentation", () => {
  it("names kinds and colours severities", () => {
    expect(kindLabel("loop_detected")).toBe("Loop detected");
    expect(kindLabel("something_new")).toBe("something new");
    expect(severityTone("critical")).toBe("bad");
    expect(severityTone("warning")).toBe("warn");
    expect(severityTone("unknown")).toBe("neutral");
  });

  it("sends a person to where they can act", () => {
    expect(alertAction("acme", { kind: "loop_detected", agentId: "a1" })).toEqual({ href: "/acme/kill-switches", label: "Open kill switches" });
    expect(alertAction("acme", { kind: "budget_exhausted", agentId: null })?.href).toBe("/acme/budgets");
    expect(alertAction("acme", { kind: "approval_requested", agentId: "a1" })?.href).toBe("/acme/approvals");
    expect(alertAction("acme", { kind: "other", agentId: "a1" })?.href).toBe("/acme/agents/a1");
    expect(alertAction("acme", { kind: "other", agentId: null })).toBeNull();
  });

  it("describes deliveries", () => {
    expect(deliveryStatus({ status: "pending", attempts: 0, lastStatus: null })).toEqual({ label: "Queued", tone: "info" });
    expect(deliveryStatus({ status: "pending", attempts: 2, lastStatus: 500 })).toEqual({ label: "Retrying: 2 attempts so far (HTTP 500)", tone: "warn" });
    expect(deliveryStatus({ status: "delivered", attempts: 1, lastStatus: 200 })).toEqual({ label: "Delivered (HTTP 200)", tone: "good" });
    expect(deliveryStatus({ status: "failed", attempts: 6, lastStatus: null }).label).toBe("Failed after 6 attempts");
    expect(deliveryStatus({ status: "cancelled", attempts: 0, lastStatus: null }).tone).toBe("neutral");
  });

  it("summarises a webhook's kinds", () => {
    expect(kindsSummary([])).toBe("All alerts");
    expect(kindsSummary(["loop_detected", "budget_exhausted"])).toBe("Loop detected, Budget exhausted");
  });
});

describe("reasonOf", () => {
  it("takes the reason (or message) an alert's details carry", () => {
    expect(reasonOf({ reason: "Loop detected: the same call to x was made 5 times within 60 s." })).toBe("Loop detected: the same call to x was made 5 times within 60 s.");
    expect(reasonOf({ message: "80 % of the Finance budget used" })).toBe("80 % of the Finance budget used");
    expect(reasonOf({ reason: 5 })).toBeNull();
    expect(reasonOf(null)).toBeNull();
    expect(reasonOf(["reason"])).toBeNull();
  });
});
