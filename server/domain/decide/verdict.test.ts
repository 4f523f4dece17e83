import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { PolicyOutcome } from "../policy/outcome";
import { advance, decideVerdict } from "./verdict";
import { budgetKey, callKey, type ApprovalCounter, type Counters, type Judgement } from "./types";

const NOW = new Date("2026-12-04T12:00:00Z");
const AGENT = "00000000-0000-4000-8000-000000000001";

const allowPolicy: PolicyOutcome = { effect: "allow", policyIds: ["p-allow"], reasons: [{ code: "policy_allowed", message: "Allowed by policy.", policyId: "p-allow" }] };
const denyPolicy: PolicyOutcome = { effect: "deny", policyIds: ["p-deny"], reasons: [{ code: "policy_denied", message: "Denied by policy.", policyId: "p-deny" }] };
const approvalPolicy: PolicyOutcome = { effect: "require_approval", policyIds: ["p-appr"], reasons: [{ code: "approval_required", message: "Needs a person.", policyId: "p-appr" }] };
const noMatch: PolicyOutcome = { effect: "no_match", policyIds: [], reasons: [] };

function judgement(overrides: Partial<Judgement> = {}): Judgement {
  return {
    agentId: AGENT,
    stop: null,
    policy: allowPolicy,
    defaultDecision: "deny",
    compliance: { effect: "none", reasons: [] },
    routing: null,
    budgets: [],
    estimatedMicros: null,
    toolCall: { hash: "search#abc", tool: "search", settings: { threshold: 5, windowSec: 60 } },
    approval: null,
    version: null,
    versionWarning: null,
    recordedVersionId: null,
    ...overrides,
  };
}

function counters(overrides: Partial<Counters> = {}): Counters {
  return { budgets: new Map(), priorCalls: new Map(), loopSwitches: new Map(), approvals: new Map(), ...overrides };
}

const orgBudget = { budgetId: "b-org", periodStart: "2026-12-01T00:00:00.000Z", scope: "org", period: "monthly", mode: "hard", limitMicros: 10_000_000n } as const;
const teamSoft = { budgetId: "b-team", periodStart: "2026-12-01T00:00:00.000Z", scope: "team", period: "monthly", mode: "soft", limitMicros: 1_000_000n } as const;

const approved = (overrides: Partial<ApprovalCounter> = {}): ApprovalCounter => ({
  agentId: AGENT,
  status: "approved",
  expiresAt: new Date(NOW.getTime() + 60_000),
  decidedAt: new Date(NOW.getTime() - 60_000),
  decidedBy: "compliance@acme.test",
  usedAt: null,
  actionType: "tool",
  actionName: "issue_refund",
  arguments: { amount: 500 },
  ...overrides,
});

describe("the verdict", () => {
  test("a plain allow says so, holds nothing without an estimate, logs the tool call and is not audited", () => {
    const result = decideVerdict(judgement(), counters(), NOW);
    expect(result).toMatchObject({ decision: "allow", recordToolCall: true, audited: false, holds: [] });
    expect(result.reasons.map((reason) => reason.code)).toEqual(["policy_allowed"]);
  });

  test("a stopped agent is denied with the stop reason alone, and its call is not logged", () => {
    const result = decideVerdict(judgement({ stop: { code: "kill_switch", message: "Stopped." }, policy: null }), counters(), NOW);
    expect(result).toMatchObject({ decision: "deny", recordToolCall: false, audited: true });
    expect(result.reasons).toEqual([{ code: "kill_switch", message: "Stopped." }]);
  });

  test("the fifth identical call in the window is a loop: denied, and a loop switch is engaged once", () => {
    const key = callKey(AGENT, "search#abc");
    const result = decideVerdict(judgement(), counters({ priorCalls: new Map([[key, 4]]) }), NOW);
    expect(result.decision).toBe("deny");
    expect(result.reasons[0]?.code).toBe("loop_detected");
    expect(result.engageLoopSwitch).toEqual({ count: 5, tool: "search", windowSec: 60 });
    const already = decideVerdict(judgement(), counters({ priorCalls: new Map([[key, 9]]), loopSwitches: new Map([[AGENT, "sw-1"]]) }), NOW);
    expect(already.engageLoopSwitch).toBeNull();
    expect(already.decision).toBe("deny");
  });

  test("no matching policy falls to the org default", () => {
    expect(decideVerdict(judgement({ policy: noMatch }), counters(), NOW).reasons[0]?.code).toBe("no_policy");
    expect(decideVerdict(judgement({ policy: noMatch, defaultDecision: "allow" }), counters(), NOW).decision).toBe("allow");
  });

  test("require_approval opens a request; the approval named later lets the same action through once", () => {
    const asked = decideVerdict(judgement({ policy: approvalPolicy }), counters(), NOW);
    expect(asked).toMatchObject({ decision: "require_approval", openApproval: { reason: "Needs a person." }, audited: true });

    const action = { type: "tool", name: "issue_refund", arguments: { amount: 500 } };
    const named = judgement({ policy: approvalPolicy, approval: { id: "ap-1", action } });
    const used = decideVerdict(named, counters({ approvals: new Map([["ap-1", approved()]]) }), NOW);
    expect(used).toMatchObject({ decision: "allow", consumeApproval: "ap-1", audited: true });
    expect(used.reasons).toEqual([{ code: "approved", message: "A person approved this action." }]);

    const again = advance(counters({ approvals: new Map([["ap-1", approved()]]) }), named, used, NOW);
    expect(decideVerdict(named, again, NOW).reasons[0]?.code).toBe("approval_used");
    const otherArguments = judgement({ policy: approvalPolicy, approval: { id: "ap-1", action: { ...action, arguments: { amount: 5000 } } } });
    expect(decideVerdict(otherArguments, counters({ approvals: new Map([["ap-1", approved()]]) }), NOW).reasons[0]?.code).toBe("approval_mismatch");
  });

  test("compliance rules weigh after policies: a compliance deny wins over a policy allow, an approval rule asks", () => {
    const denied = decideVerdict(judgement({ compliance: { effect: "deny", reasons: [{ code: "compliance", message: "Prohibited." }] } }), counters(), NOW);
    expect(denied.reasons).toEqual([{ code: "compliance", message: "Prohibited." }]);
    const asked = decideVerdict(judgement({ compliance: { effect: "require_approval", reasons: [{ code: "compliance", message: "PCI needs a person." }] } }), counters(), NOW);
    expect(asked.decision).toBe("require_approval");
    expect(asked.reasons.map((reason) => reason.code)).toEqual(["policy_allowed", "compliance"]);
  });

  test("an estimate is held against every budget that applies, hard and soft; a hard budget without room refuses", () => {
    const withBudgets = judgement({ budgets: [orgBudget, teamSoft], estimatedMicros: 2_000_000n });
    const held = decideVerdict(withBudgets, counters(), NOW);
    expect(held.holds.map((hold) => [hold.budgetId, hold.amountMicros])).toEqual([
      ["b-org", 2_000_000n],
      ["b-team", 2_000_000n],
    ]);
    const full = counters({ budgets: new Map([[budgetKey(orgBudget), { spentMicros: 7_000_000n, reservedMicros: 2_000_000n }]]) });
    const refused = decideVerdict(withBudgets, full, NOW);
    expect(refused.decision).toBe("deny");
    expect(refused.holds).toEqual([]);
    expect(refused.reasons.at(-1)?.message).toMatch(/organisation's monthly hard budget of \$10\.00 has \$1\.00 left/);
  });

  test("a model that may not be used holds no budget, and routing reasons come last", () => {
    const routed = judgement({
      toolCall: null,
      routing: { ok: true, model: { name: "small", provider: "acme", fallbacks: [] }, reasons: [{ code: "routed", message: "small is cheapest." }] },
      budgets: [orgBudget],
      estimatedMicros: 1000n,
    });
    const allowed = decideVerdict(routed, counters(), NOW);
    expect(allowed.reasons.map((reason) => reason.code)).toEqual(["policy_allowed", "routed"]);
    expect(allowed.model?.name).toBe("small");
    expect(allowed.audited).toBe(false);
    const refused = decideVerdict({ ...routed, routing: { ok: false, reasons: [{ code: "unknown_model", message: "No such model." }] } }, counters(), NOW);
    expect(refused).toMatchObject({ decision: "deny", holds: [], model: null });
    expect(refused.reasons.map((reason) => reason.code)).toEqual(["policy_allowed", "unknown_model"]);
  });

  test("advance adds holds and calls for the next decision of the batch, and leaves its inputs alone", () => {
    const j = judgement({ budgets: [orgBudget], estimatedMicros: 3_000_000n });
    const before = counters();
    const first = decideVerdict(j, before, NOW);
    const after = advance(before, j, first, NOW);
    expect(before.budgets.size).toBe(0);
    expect(after.budgets.get(budgetKey(orgBudget))?.reservedMicros).toBe(3_000_000n);
    expect(after.priorCalls.get(callKey(AGENT, "search#abc"))).toBe(1);
    // Three holds of $3 fit in $10; the fourth does not.
    let state = after;
    const verdicts = [first.decision];
    for (let i = 0; i < 3; i++) {
      const next = decideVerdict({ ...j, toolCall: null }, state, NOW);
      verdicts.push(next.decision);
      state = advance(state, j, next, NOW);
    }
    expect(verdicts).toEqual(["allow", "allow", "allow", "deny"]);
  });
});

// Property tests -------------------------------------------------------------------------------

const reason = fc.record({ code: fc.constantFrom("a", "b", "policy_allowed"), message: fc.string() });
const policyArb: fc.Arbitrary<PolicyOutcome | null> = fc.oneof(fc.constant(null), fc.constantFrom(allowPolicy, denyPolicy, approvalPolicy, noMatch));
const judgementArb: fc.Arbitrary<Judgement> = fc.record({
  agentId: fc.constant(AGENT),
  stop: fc.option(fc.record({ code: fc.constantFrom("kill_switch", "retired", "loop_detected"), message: fc.string() }), { nil: null }),
  policy: policyArb,
  defaultDecision: fc.constantFrom("allow" as const, "deny" as const),
  compliance: fc.oneof(
    fc.constant<Judgement["compliance"]>({ effect: "none", reasons: [] }),
    fc.record<Judgement["compliance"]>({ effect: fc.constantFrom("deny" as const, "require_approval" as const), reasons: fc.array(reason, { minLength: 1, maxLength: 2 }) }),
  ),
  routing: fc.constantFrom<Judgement["routing"]>(
    null,
    { ok: true, model: { name: "m", provider: "p", fallbacks: [] }, reasons: [{ code: "routed", message: "m" }] },
    { ok: false, reasons: [{ code: "unknown_model", message: "no" }] },
  ),
  budgets: fc.constantFrom<Judgement["budgets"]>([], [orgBudget], [orgBudget, teamSoft]),
  estimatedMicros: fc.option(fc.bigInt({ min: 0n, max: 20_000_000n }), { nil: null }),
  toolCall: fc.option(fc.record({ hash: fc.constantFrom("h1", "h2"), tool: fc.constant("t"), settings: fc.constant({ threshold: 3, windowSec: 60 }) }), { nil: null }),
  approval: fc.option(fc.constant({ id: "ap-1", action: { type: "tool", name: "issue_refund", arguments: { amount: 500 } } }), { nil: null }),
  version: fc.constant(null),
  versionWarning: fc.constant(null),
  recordedVersionId: fc.constant(null),
});
const countersArb: fc.Arbitrary<Counters> = fc.record({
  budgets: fc.constantFrom(new Map<string, { spentMicros: bigint; reservedMicros: bigint }>(), new Map([[budgetKey(orgBudget), { spentMicros: 9_000_000n, reservedMicros: 500_000n }]])),
  priorCalls: fc.constantFrom(new Map<string, number>(), new Map([[callKey(AGENT, "h1"), 2]])),
  loopSwitches: fc.constantFrom(new Map<string, string>(), new Map([[AGENT, "sw"]])),
  approvals: fc.constantFrom(new Map<string, ApprovalCounter | null>(), new Map([["ap-1", approved()]]), new Map([["ap-1", approved({ status: "denied" })]])),
});

describe("the verdict, for any facts and counters", () => {
  test("a deny from any weight wins over approval and allow", () => {
    fc.assert(
      fc.property(judgementArb, countersArb, (j, c) => {
        const result = decideVerdict(j, c, NOW);
        const defaultDenies = (j.policy === null || j.policy.effect === "no_match") && j.defaultDecision === "deny";
        const anyDeny = j.stop !== null || j.policy?.effect === "deny" || j.compliance.effect === "deny" || defaultDenies;
        if (anyDeny) expect(result.decision).toBe("deny");
        if (result.decision !== "deny") expect(result.reasons.some((r) => r.code === "policy_denied" || r.code === "no_policy")).toBe(false);
      }),
    );
  });

  test("a stopped agent's answer never depends on policies, compliance or counters", () => {
    fc.assert(
      fc.property(judgementArb, judgementArb, countersArb, countersArb, (a, b, ca, cb) => {
        const stop = { code: "kill_switch", message: "Stopped." };
        const first = decideVerdict({ ...a, stop }, ca, NOW);
        const second = decideVerdict({ ...b, stop }, cb, NOW);
        expect(first).toEqual(second);
        expect(first.decision).toBe("deny");
      }),
    );
  });

  test("the same inputs give the same answer, and the inputs are not changed", () => {
    fc.assert(
      fc.property(judgementArb, countersArb, (j, c) => {
        const copy = structuredClone({ j, c });
        const first = decideVerdict(j, c, NOW);
        advance(c, j, first, NOW);
        expect(decideVerdict(j, c, NOW)).toEqual(first);
        expect({ j, c }).toEqual(copy);
      }),
    );
  });

  test("holds are taken only by an allow, on every budget that applies, or on none", () => {
    fc.assert(
      fc.property(judgementArb, countersArb, (j, c) => {
        const result = decideVerdict(j, c, NOW);
        if (result.decision !== "allow") expect(result.holds).toEqual([]);
        else if (result.holds.length > 0) expect(result.holds.map((hold) => hold.budgetId)).toEqual(j.budgets.map((budget) => budget.budgetId));
      }),
    );
  });
});
