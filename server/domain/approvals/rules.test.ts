import { describe, expect, test } from "vitest";
import { APPROVAL_USE_WINDOW_MS, DEFAULT_APPROVAL_TTL_MS, approvalTtlMs, decisionRefusal, effectiveStatus, parseWaitMs, sameAction, consumeRefusal, type UsableApproval } from "./rules";

const now = new Date("2026-11-25T10:00:00Z");
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

describe("expiry", () => {
  test("the default expiry is 30 minutes; a chosen one is kept within 1 minute and 7 days", () => {
    expect(approvalTtlMs(undefined)).toBe(DEFAULT_APPROVAL_TTL_MS);
    expect(DEFAULT_APPROVAL_TTL_MS).toBe(30 * 60_000);
    expect(approvalTtlMs(5 * 60_000)).toBe(5 * 60_000);
    expect(approvalTtlMs(1)).toBe(60_000);
    expect(approvalTtlMs(30 * 24 * 3_600_000)).toBe(7 * 24 * 3_600_000);
  });

  test("a pending request past its expiry is expired even before the sweep marks it", () => {
    expect(effectiveStatus({ status: "pending", expiresAt: minutes(1) }, now)).toBe("pending");
    expect(effectiveStatus({ status: "pending", expiresAt: now }, now)).toBe("expired");
    expect(effectiveStatus({ status: "pending", expiresAt: minutes(-1) }, now)).toBe("expired");
    // A decision made in time stands after the expiry passes.
    expect(effectiveStatus({ status: "approved", expiresAt: minutes(-1) }, now)).toBe("approved");
  });
});

describe("deciding", () => {
  const pending = { status: "pending" as const, expiresAt: minutes(10), decidedBy: null, decidedAt: null };

  test("a pending request in time may be decided", () => {
    expect(decisionRefusal(pending, now)).toBeNull();
  });

  test("an expired request is refused, swept or not, saying the agent must ask again", () => {
    expect(decisionRefusal({ ...pending, expiresAt: minutes(-1) }, now)).toMatch(/expired at 2026-11-25T09:59:00.000Z .*ask again/);
    expect(decisionRefusal({ ...pending, status: "expired", expiresAt: minutes(-1) }, now)).toMatch(/expired/);
  });

  test("an already decided request is refused, naming who decided it", () => {
    const refusal = decisionRefusal({ ...pending, status: "denied", decidedBy: "compliance@acme.test", decidedAt: minutes(-2) }, now);
    expect(refusal).toBe("This request was already denied by compliance@acme.test at 2026-11-25T09:58:00.000Z; a decision cannot be changed.");
  });
});

describe("using an approval", () => {
  const approved: UsableApproval = {
    agentId: "agent-1",
    status: "approved",
    expiresAt: minutes(20),
    decidedBy: "compliance@acme.test",
    decidedAt: minutes(-1),
    actionType: "tool",
    actionName: "issue_refund",
    arguments: { amount: 250, order: { id: "A-1", currency: "EUR" } },
    usedAt: null,
  };
  const action = { type: "tool", name: "issue_refund", arguments: { order: { currency: "EUR", id: "A-1" }, amount: 250 } };

  test("an approved, unused request authorises the same action by the same agent (key order does not matter)", () => {
    expect(consumeRefusal(approved, "agent-1", action, now)).toBeNull();
  });

  test.each([
    ["another agent's", approved, "agent-2", action, "approval_not_found"],
    ["an unknown", null, "agent-1", action, "approval_not_found"],
    ["a pending", { ...approved, status: "pending" as const, decidedAt: null }, "agent-1", action, "approval_pending"],
    ["a denied", { ...approved, status: "denied" as const }, "agent-1", action, "approval_denied"],
    ["an expired", { ...approved, status: "pending" as const, expiresAt: minutes(-1), decidedAt: null }, "agent-1", action, "approval_expired"],
    ["a used", { ...approved, usedAt: minutes(-1) }, "agent-1", action, "approval_used"],
    ["a lapsed", { ...approved, decidedAt: new Date(now.getTime() - APPROVAL_USE_WINDOW_MS - 1) }, "agent-1", action, "approval_expired"],
    ["another amount's", approved, "agent-1", { ...action, arguments: { amount: 2500, order: { id: "A-1", currency: "EUR" } } }, "approval_mismatch"],
    ["another tool's", approved, "agent-1", { ...action, name: "delete_records" }, "approval_mismatch"],
  ])("%s approval is refused", (_label, approval, agentId, requested, code) => {
    expect(consumeRefusal(approval, agentId, requested, now)?.code).toBe(code);
  });

  test("absent and empty arguments are the same request", () => {
    expect(sameAction({ actionType: "data", actionName: "PCI", arguments: null }, { type: "data", name: "PCI", arguments: {} })).toBe(true);
    expect(sameAction({ actionType: "data", actionName: "PCI", arguments: null }, { type: "data", name: "PCI", arguments: { row: 1 } })).toBe(false);
  });
});

describe("waitMs", () => {
  test("absent means no wait; 0 to 60000 are taken", () => {
    expect(parseWaitMs(null)).toEqual({ ok: true, value: 0 });
    expect(parseWaitMs("")).toEqual({ ok: true, value: 0 });
    expect(parseWaitMs("0")).toEqual({ ok: true, value: 0 });
    expect(parseWaitMs("60000")).toEqual({ ok: true, value: 60_000 });
  });

  test.each(["60001", "-1", "1.5", "abc", "1e3", " 5"])("%j is refused", (raw) => {
    expect(parseWaitMs(raw).ok).toBe(false);
  });
});
