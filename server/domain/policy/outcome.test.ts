import { expect, test } from "vitest";
import { combineAnswer, type StatementMeta } from "./outcome";

const statements: Record<string, StatementMeta> = {
  "allow#0": { policyId: "allow", policyName: "Registered tools", effect: "permit", approval: false, reason: null },
  "approve#0": { policyId: "approve", policyName: "Refunds", effect: "permit", approval: true, reason: "Refunds above 100 need approval." },
  "deny#0": { policyId: "deny", policyName: "No deletes", effect: "forbid", approval: false, reason: null },
  "deny#1": { policyId: "deny", policyName: "No deletes", effect: "forbid", approval: false, reason: null },
};
const meta = (id: string) => statements[id];

test("a matching forbid denies", () => {
  expect(combineAnswer({ decision: "deny", reason: ["deny#0", "deny#1"], errors: [] }, meta)).toEqual({
    effect: "deny",
    policyIds: ["deny"],
    reasons: [
      { code: "policy_denied", message: 'Denied by policy "No deletes".', policyId: "deny" },
      { code: "policy_denied", message: 'Denied by policy "No deletes".', policyId: "deny" },
    ],
  });
});

test("an approval permit and a plain permit together: the most restrictive, require_approval, wins", () => {
  const outcome = combineAnswer({ decision: "allow", reason: ["allow#0", "approve#0"], errors: [] }, meta);
  expect(outcome.effect).toBe("require_approval");
  expect(outcome.policyIds).toEqual(["approve"]);
  expect(outcome.reasons).toEqual([{ code: "approval_required", message: "Refunds above 100 need approval.", policyId: "approve" }]);
});

test("an approval permit alone grants with approval; a plain permit alone allows", () => {
  expect(combineAnswer({ decision: "allow", reason: ["approve#0"], errors: [] }, meta).effect).toBe("require_approval");
  expect(combineAnswer({ decision: "allow", reason: ["allow#0"], errors: [] }, meta)).toEqual({
    effect: "allow",
    policyIds: ["allow"],
    reasons: [{ code: "policy_allowed", message: 'Allowed by policy "Registered tools".', policyId: "allow" }],
  });
});

test("nothing matched: no_match, for the org's default to decide", () => {
  expect(combineAnswer({ decision: "deny", reason: [], errors: [] }, meta)).toEqual({ effect: "no_match", policyIds: [], reasons: [{ code: "no_policy", message: "No policy matched this request." }] });
});

test("a forbid that failed to evaluate denies (fail closed); a permit that failed does not grant", () => {
  const failedForbid = combineAnswer({ decision: "allow", reason: ["allow#0"], errors: [{ policyId: "deny#0", message: "overflow" }] }, meta);
  expect(failedForbid.effect).toBe("deny");
  expect(failedForbid.reasons[0]?.code).toBe("policy_error");
  expect(combineAnswer({ decision: "deny", reason: [], errors: [{ policyId: "allow#0", message: "overflow" }] }, meta).effect).toBe("no_match");
});
