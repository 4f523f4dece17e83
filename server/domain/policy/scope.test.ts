import { expect, test } from "vitest";
import { unknownNames } from "./names";
import { scopeApplies, scopeOf, scopeSummary } from "./scope";

const all = { op: "All" } as const;
const target = { agentName: "support-chatbot", teamName: "Customer Service", actionType: "tool", resourceType: "Tool", resourceName: "issue_refund" };

test("scopes read from Cedar's JSON", () => {
  expect(scopeOf({ principal: { op: "==", entity: { type: "Agent", id: "x" } }, action: all, resource: all })).toEqual({ principal: { kind: "agent", name: "x" }, actions: null, resource: null });
  expect(
    scopeOf({
      principal: { op: "in", entity: { type: "Team", id: "IT" } },
      action: {
        op: "in",
        entities: [
          { type: "Action", id: "tool" },
          { type: "Action", id: "model" },
        ],
      },
      resource: all,
    }),
  ).toEqual({
    principal: { kind: "team", name: "IT" },
    actions: ["tool", "model"],
    resource: null,
  });
  expect(
    scopeOf({
      principal: { op: "is", entity_type: "Agent", in: { entity: { __entity: { type: "Team", id: "IT" } } } },
      action: { op: "==", entity: { type: "Action", id: "data" } },
      resource: { op: "==", entity: { type: "DataClass", id: "PCI" } },
    }),
  ).toEqual({
    principal: { kind: "team", name: "IT" },
    actions: ["data"],
    resource: { type: "DataClass", id: "PCI" },
  });
});

test("a statement applies unless its scope names another agent, team, action or resource", () => {
  const scope = (principal: ReturnType<typeof scopeOf>["principal"], actions: string[] | null = null, resource: { type: string; id: string } | null = null) => ({ principal, actions, resource });
  expect(scopeApplies(scope({ kind: "any" }), target)).toBe(true);
  expect(scopeApplies(scope({ kind: "agent", name: "support-chatbot" }), target)).toBe(true);
  expect(scopeApplies(scope({ kind: "agent", name: "other" }), target)).toBe(false);
  expect(scopeApplies(scope({ kind: "team", name: "Customer Service" }), target)).toBe(true);
  expect(scopeApplies(scope({ kind: "team", name: "IT" }), target)).toBe(false);
  expect(scopeApplies(scope({ kind: "team", name: "IT" }), { ...target, teamName: null })).toBe(false);
  expect(scopeApplies(scope({ kind: "any" }, ["model"]), target)).toBe(false);
  expect(scopeApplies(scope({ kind: "any" }, ["tool"], { type: "Tool", id: "delete_records" }), target)).toBe(false);
  expect(scopeApplies(scope({ kind: "any" }, ["tool"], { type: "Tool", id: "issue_refund" }), target)).toBe(true);
});

test("summaries and names the org does not have", () => {
  const scope = { principal: { kind: "agent", name: "ghost" } as const, actions: ["tool"], resource: { type: "Tool", id: "x" } };
  expect(scopeSummary(scope, false)).toEqual({ who: "Agent ghost", what: "tool: x" });
  expect(scopeSummary({ principal: { kind: "any" }, actions: null, resource: null }, true)).toEqual({ who: "Agents matching conditions", what: "Any action" });
  expect(unknownNames([scope, { principal: { kind: "team", name: "IT" }, actions: null, resource: null }], { agents: new Set(["a"]), teams: new Set(["IT"]) })).toEqual(["agent ghost"]);
});
