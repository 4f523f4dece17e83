import { expect, test } from "vitest";
import { applyDraft, finalDecision, impactOf } from "./draft";

const enforced = [
  { id: "a", name: "A", cedar: "permit(principal, action, resource);" },
  { id: "b", name: "B", cedar: "forbid(principal, action, resource);" },
];

test("a draft replaces its policy, adds a new one, or removes one", () => {
  expect(applyDraft(enforced, { policyId: "b", name: "B", cedar: "x" }).map((policy) => [policy.id, policy.cedar])).toEqual([
    ["a", enforced[0]?.cedar],
    ["b", "x"],
  ]);
  expect(applyDraft(enforced, { name: "New", cedar: "y" }).map((policy) => policy.id)).toEqual(["a", "b", "draft"]);
  expect(applyDraft(enforced, { policyId: "a", name: "A", cedar: "", remove: true }).map((policy) => policy.id)).toEqual(["b"]);
});

test("no match falls to the org default", () => {
  expect(finalDecision("no_match", "deny")).toBe("deny");
  expect(finalDecision("no_match", "allow")).toBe("allow");
  expect(finalDecision("require_approval", "allow")).toBe("require_approval");
});

test("impact lists only what changes, and counts each kind of change", () => {
  const result = impactOf([
    { record: 1, now: "allow", draft: "allow" },
    { record: 2, now: "allow", draft: "require_approval" },
    { record: 3, now: "allow", draft: "require_approval" },
    { record: 4, now: "deny", draft: "allow" },
  ] as const);
  expect(result.changed.map((row) => row.record)).toEqual([2, 3, 4]);
  expect(result.counts).toEqual({ "allow→require_approval": 2, "deny→allow": 1 });
});
