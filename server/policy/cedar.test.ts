import { describe, expect, test } from "vitest";
import { formToCedar, ruleFormSchema, type RuleFormInput } from "../domain/policy/form";
import { toCedarRequest, type AgentFacts, type PolicyRequest } from "../domain/policy/request";
import { SEED_POLICIES } from "../../prisma/seed/policies";
import { checkPolicyText, compilePolicySet, summarisePolicyText } from "./cedar";

const rule = (input: RuleFormInput) => formToCedar(ruleFormSchema.parse(input));

describe("checkPolicyText", () => {
  test("a syntax error is refused with its line and column", () => {
    const result = checkPolicyText("permit (principal, action, resource);\n\nforbid (principal, action, resource)\n  when { context.hour > };\n");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ line: 4, column: 25, severity: "error" });
    expect(result.errors[0]?.message).toMatch(/unexpected token/);
  });

  test("text that parses but does not fit the schema is refused with where and why", () => {
    const result = checkPolicyText('permit (principal, action == Action::"tool", resource)\nwhen { principal.department == "x" };');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ line: 2, column: 8 });
    expect(result.errors[0]?.message).toMatch(/department/);
    const unguarded = checkPolicyText('permit (principal, action, resource) when { context.arguments.getTag("amount").greaterThan(decimal("1.0")) };');
    expect(unguarded.ok).toBe(false);
    const unknownAction = checkPolicyText('permit (principal, action == Action::"fly", resource);');
    expect(unknownAction.ok).toBe(false);
  });

  test("empty text and templates are refused", () => {
    expect(checkPolicyText("  // nothing\n").ok).toBe(false);
    expect(checkPolicyText("permit (principal == ?principal, action, resource);").ok).toBe(false);
  });

  test("statements, effects and annotations are read back", () => {
    const result = checkPolicyText('@approval("true")\n@reason("why")\npermit (principal, action, resource);\nforbid (principal in Team::"IT", action, resource);');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.statements.map((statement) => [statement.effect, statement.approval, statement.reason, statement.scope.principal.kind])).toEqual([
      ["permit", true, "why", "any"],
      ["forbid", false, null, "team"],
    ]);
    expect(summarisePolicyText('forbid (principal in Team::"IT", action == Action::"tool", resource == Tool::"x");')).toEqual({ who: "Team IT", what: "tool: x", effect: "deny" });
  });

  test("every seed policy and every kind of form rule validates against the schema", () => {
    for (const seed of SEED_POLICIES) {
      const text = "cedar" in seed.source ? seed.source.cedar : rule(seed.source.form);
      expect(checkPolicyText(text).ok, seed.name).toBe(true);
    }
    const forms: RuleFormInput[] = [
      { who: { kind: "team", name: "Finance" }, action: "model", resources: ["a", "b"], effect: "allow", conditions: [{ kind: "hours", from: 22, to: 6, inside: false }] },
      { who: { kind: "tag", name: "x" }, action: "any", resources: [], effect: "deny", conditions: [{ kind: "dataClasses", match: "all", classes: ["PII"] }] },
      { who: { kind: "riskClass", name: "high" }, action: "delegate", resources: ["kb-summarizer"], effect: "require_approval", conditions: [{ kind: "text", argument: "mode", op: "!=", value: "read" }] },
      { who: { kind: "all" }, action: "spend", resources: [], effect: "deny", conditions: [{ kind: "number", argument: "amount", op: ">=", value: "0.5" }] },
      { who: { kind: "all" }, action: "data", resources: ["PHI"], effect: "allow", conditions: [] },
    ];
    for (const form of forms) expect(checkPolicyText(rule(form)).ok).toBe(true);
  });
});

const facts = (name: string, more: Partial<AgentFacts> = {}): AgentFacts => ({ name, teamName: "IT", tags: [], riskClass: null, tools: [], models: [], dataCategories: [], ...more });
const request = (agent: AgentFacts, type: PolicyRequest["action"]["type"], name: string, args: Record<string, unknown> = {}): PolicyRequest => ({
  agent: { id: agent.name, name: agent.name, teamId: null, teamName: agent.teamName, tags: [...agent.tags], riskClass: agent.riskClass },
  action: { type, name, arguments: args },
  dataClasses: [],
  estimatedCostUsd: null,
  now: new Date("2026-01-01T12:00:00Z"),
});

describe("compiled sets", () => {
  test("a hostile name from the form matches exactly that agent and no other", () => {
    const hostile = 'x"); permit (principal, action, resource); //';
    const { set } = compilePolicySet([{ id: "p", name: "P", cedar: rule({ who: { kind: "agent", name: hostile }, action: "tool", resources: [], effect: "allow", conditions: [] }) }]);
    const odd = facts(hostile);
    expect(set.evaluate(toCedarRequest(request(odd, "tool", "t"), odd, null), "IT").effect).toBe("allow");
    const other = facts("x");
    expect(set.evaluate(toCedarRequest(request(other, "tool", "t"), other, null), "IT").effect).toBe("no_match");
  });

  test("slicing never changes an answer: every request gets what the whole set would say", () => {
    const policies = [
      { id: "tools", name: "tools", cedar: 'permit (principal, action == Action::"tool", resource) when { principal.tools.contains(resource) };' },
      { id: "it", name: "it", cedar: 'forbid (principal in Team::"IT", action == Action::"tool", resource == Tool::"wipe");' },
      {
        id: "a1",
        name: "a1",
        cedar: '@approval("true") permit (principal == Agent::"a1", action == Action::"tool", resource) when { context.arguments.hasTag("n") && context.arguments.getTag("n").greaterThan(decimal("5.0")) };',
      },
      { id: "tag", name: "tag", cedar: 'forbid (principal, action, resource) when { principal.tags.contains("frozen") };' },
      { id: "models", name: "models", cedar: 'permit (principal, action == Action::"model", resource);' },
    ];
    const { set, problems } = compilePolicySet(policies);
    expect(problems).toEqual([]);
    const cases: [AgentFacts, PolicyRequest["action"]["type"], string, Record<string, unknown>, string][] = [
      [facts("a1", { tools: ["wipe", "t"] }), "tool", "wipe", {}, "deny"],
      [facts("a1", { tools: ["t"] }), "tool", "t", { n: 9 }, "require_approval"],
      [facts("a1", { tools: ["t"] }), "tool", "t", { n: 2 }, "allow"],
      [facts("a2", { tools: ["t"], teamName: "Finance" }), "tool", "t", { n: 9 }, "allow"],
      [facts("a2", { tools: ["wipe"], teamName: "Finance" }), "tool", "wipe", {}, "allow"],
      [facts("a3", { tags: ["frozen"] }), "model", "gpt", {}, "deny"],
      [facts("a3"), "model", "gpt", {}, "allow"],
      [facts("a3"), "data", "PCI", {}, "no_match"],
    ];
    for (const [agent, type, name, args, expected] of cases) {
      const cedarRequest = toCedarRequest(request(agent, type, name, args), agent, null);
      expect(set.evaluate(cedarRequest, agent.teamName).effect, `${agent.name} ${type} ${name}`).toBe(expected);
      expect(set.applicable(cedarRequest, agent.teamName).length).toBeLessThan(policies.length);
    }
  });

  test("a policy that no longer validates is left out and reported", () => {
    const { set, problems } = compilePolicySet([
      { id: "ok", name: "ok", cedar: "permit (principal, action, resource);" },
      { id: "bad", name: "bad", cedar: "permit (principal, action, resource) when { context.nope };" },
    ]);
    expect(set.statements.map((statement) => statement.policyId)).toEqual(["ok"]);
    expect(problems.map((problem) => problem.policyId)).toEqual(["bad"]);
  });
});

describe("remembered answers", () => {
  const policies = [
    { id: "tools", name: "registered tools", cedar: 'permit (principal, action == Action::"tool", resource) when { principal.tools.contains(resource) };' },
    {
      id: "refunds",
      name: "refunds",
      cedar:
        '@approval("true")\npermit (principal, action == Action::"tool", resource == Tool::"refund") when { context.arguments.hasTag("amount") && context.arguments.getTag("amount").greaterThan(decimal("100.0")) };',
    },
    { id: "night", name: "night", cedar: 'forbid (principal, action == Action::"tool", resource == Tool::"deploy") when { context.hour < 6 };' },
    { id: "pci", name: "pci", cedar: '@approval("true")\npermit (principal, action, resource) when { principal.riskClass == "high" && context.dataClasses.contains("PCI") };' },
  ];
  const agent = (tools: string[], riskClass: string | null): AgentFacts => ({ name: "a1", teamName: "IT", tags: [], riskClass, tools, models: [], dataCategories: [] });
  const request = (tool: string, args: Record<string, unknown>, hour: number, dataClasses: string[]): PolicyRequest => ({
    agent: { id: "a1", name: "a1", teamId: "t1", teamName: "IT", tags: [], riskClass: null },
    action: { type: "tool", name: tool, arguments: args },
    dataClasses,
    estimatedCostUsd: null,
    now: new Date(Date.UTC(2026, 11, 4, hour)),
  });

  test("are Cedar's own answers, whatever the arguments, time, data classes and agent", async () => {
    const fc = (await import("fast-check")).default;
    const remembered = compilePolicySet(policies).set;
    fc.assert(
      fc.property(
        fc.constantFrom("refund", "deploy", "search"),
        fc.record({ amount: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constant("abc")), query: fc.string({ maxLength: 5 }) }, { requiredKeys: [] }),
        fc.integer({ min: 0, max: 23 }),
        fc.subarray(["PCI", "PII"]),
        fc.subarray(["refund", "deploy", "search"]),
        fc.constantFrom(null, "high"),
        (tool, args, hour, dataClasses, tools, riskClass) => {
          const cedarRequest = toCedarRequest(request(tool, args, hour, dataClasses), agent(tools, riskClass), null);
          // A fresh set remembers nothing: it asks Cedar.
          const fresh = compilePolicySet(policies).set.evaluate(cedarRequest, "IT");
          expect(remembered.evaluate(cedarRequest, "IT")).toEqual(fresh);
        },
      ),
      { numRuns: 300 },
    );
  });
});
