import { describe, expect, test } from "vitest";
import { conditionToCedar, decimalLiteral, formToCedar, ruleFormSchema, whatSummary, whoSummary, type RuleFormInput } from "./form";
import { cedarString, entityRef } from "./vocabulary";

const rule = (input: RuleFormInput) => formToCedar(ruleFormSchema.parse(input));

describe("formToCedar", () => {
  test("an approval rule on one agent's tool with an amount condition", () => {
    expect(
      rule({
        who: { kind: "agent", name: "support-chatbot" },
        action: "tool",
        resources: ["issue_refund"],
        effect: "require_approval",
        conditions: [{ kind: "number", argument: "amount", op: ">", value: "100" }],
      }),
    ).toBe(
      [
        '@approval("true")',
        "permit (",
        '  principal == Agent::"support-chatbot",',
        '  action == Action::"tool",',
        '  resource == Tool::"issue_refund"',
        ")",
        "when {",
        '  context.arguments.hasTag("amount") && context.arguments.getTag("amount").greaterThan(decimal("100.0"))',
        "};",
        "",
      ].join("\n"),
    );
  });

  test("deny becomes forbid, with no when clause when there are no conditions", () => {
    expect(rule({ who: { kind: "all" }, action: "tool", resources: ["delete_records"], effect: "deny", conditions: [] })).toBe(
      'forbid (\n  principal,\n  action == Action::"tool",\n  resource == Tool::"delete_records"\n);\n',
    );
  });

  test("teams scope with `in`; tags and risk classes become conditions; several resources a set", () => {
    const team = rule({ who: { kind: "team", name: "Finance" }, action: "model", resources: ["gpt-4.1", "o3"], effect: "allow", conditions: [] });
    expect(team).toContain('principal in Team::"Finance"');
    expect(team).toContain('[Model::"gpt-4.1", Model::"o3"].contains(resource)');
    expect(team).toContain("  resource\n");
    const tag = rule({ who: { kind: "tag", name: "high-risk" }, action: "any", resources: [], effect: "deny", conditions: [] });
    expect(tag).toContain('principal.tags.contains("high-risk")');
    expect(tag).toContain("  action,\n");
    const risk = rule({ who: { kind: "riskClass", name: "high" }, action: "data", resources: ["PCI"], effect: "require_approval", conditions: [] });
    expect(risk).toContain('principal.riskClass == "high"');
    expect(risk).toContain('resource == DataClass::"PCI"');
  });

  test("several conditions are each parenthesised and joined with &&", () => {
    const text = rule({
      who: { kind: "all" },
      action: "tool",
      resources: [],
      effect: "deny",
      conditions: [
        { kind: "hours", from: 22, to: 6, inside: true },
        { kind: "dataClasses", match: "any", classes: ["PCI", "PHI"] },
      ],
    });
    expect(text).toContain('  (context.hour >= 22 || context.hour < 6) &&\n  (context.dataClasses.containsAny(["PCI", "PHI"]))\n};');
  });

  test("a reason becomes the @reason annotation, escaped", () => {
    expect(rule({ who: { kind: "all" }, action: "spend", resources: [], effect: "deny", conditions: [], reason: 'Say "no"' })).toContain('@reason("Say \\"no\\"")');
  });
});

describe("conditions", () => {
  test("numeric comparisons use the decimal methods, presence first", () => {
    const ops = { ">": "greaterThan", ">=": "greaterThanOrEqual", "<": "lessThan", "<=": "lessThanOrEqual" } as const;
    for (const [op, method] of Object.entries(ops)) {
      expect(conditionToCedar({ kind: "number", argument: "n", op: op as keyof typeof ops, value: "2.5" })).toBe(`context.arguments.hasTag("n") && context.arguments.getTag("n").${method}(decimal("2.5"))`);
    }
    expect(conditionToCedar({ kind: "number", argument: "n", op: "!=", value: "-3" })).toBe('context.arguments.hasTag("n") && context.arguments.getTag("n") != decimal("-3.0")');
  });

  test("hour windows: plain, wrapping midnight, to the end of the day, and outside", () => {
    expect(conditionToCedar({ kind: "hours", from: 9, to: 17, inside: true })).toBe("context.hour >= 9 && context.hour < 17");
    expect(conditionToCedar({ kind: "hours", from: 22, to: 6, inside: true })).toBe("context.hour >= 22 || context.hour < 6");
    expect(conditionToCedar({ kind: "hours", from: 18, to: 24, inside: true })).toBe("context.hour >= 18");
    expect(conditionToCedar({ kind: "hours", from: 0, to: 8, inside: true })).toBe("context.hour < 8");
    expect(conditionToCedar({ kind: "hours", from: 9, to: 17, inside: false })).toBe("!(context.hour >= 9 && context.hour < 17)");
  });

  test("data classes: any, all, none; text arguments compare strings", () => {
    expect(conditionToCedar({ kind: "dataClasses", match: "all", classes: ["PII"] })).toBe('context.dataClasses.containsAll(["PII"])');
    expect(conditionToCedar({ kind: "dataClasses", match: "none", classes: ["PII"] })).toBe('!context.dataClasses.containsAny(["PII"])');
    expect(conditionToCedar({ kind: "text", argument: "currency", op: "==", value: "EUR" })).toBe('context.textArguments.hasTag("currency") && context.textArguments.getTag("currency") == "EUR"');
  });

  test("decimal literals always carry a fractional part", () => {
    expect(decimalLiteral("100")).toBe('decimal("100.0")');
    expect(decimalLiteral("0.25")).toBe('decimal("0.25")');
  });
});

describe("quoting and escaping names", () => {
  test("quotes, backslashes and control characters cannot end the literal", () => {
    expect(cedarString('a"b')).toBe('"a\\"b"');
    expect(cedarString("a\\b")).toBe('"a\\\\b"');
    expect(cedarString("a\nb\tc")).toBe('"a\\nb\\tc"');
    expect(cedarString("\u0001")).toBe('"\\u{1}"');
    expect(cedarString("é 😀")).toBe('"é 😀"');
    expect(entityRef("Agent", 'x"); forbid(principal,action,resource); //')).toBe('Agent::"x\\"); forbid(principal,action,resource); //"');
  });

  test("a hostile agent name stays inside its literal", () => {
    const text = rule({ who: { kind: "agent", name: 'evil", action, resource); permit(principal' }, action: "tool", resources: ['a\\"b'], effect: "allow", conditions: [] });
    expect(text).toContain('principal == Agent::"evil\\", action, resource); permit(principal"');
    expect(text).toContain('resource == Tool::"a\\\\\\"b"');
  });

  test("the form refuses control characters, empty names, and resources without an action type", () => {
    expect(ruleFormSchema.safeParse({ who: { kind: "agent", name: "a\nb" }, action: "tool", resources: [], effect: "allow", conditions: [] }).success).toBe(false);
    expect(ruleFormSchema.safeParse({ who: { kind: "agent", name: "  " }, action: "tool", resources: [], effect: "allow", conditions: [] }).success).toBe(false);
    expect(ruleFormSchema.safeParse({ who: { kind: "all" }, action: "any", resources: ["x"], effect: "allow", conditions: [] }).success).toBe(false);
    expect(ruleFormSchema.safeParse({ who: { kind: "all" }, action: "tool", resources: [], effect: "allow", conditions: [{ kind: "number", argument: "a", op: ">", value: "1e3" }] }).success).toBe(false);
    expect(ruleFormSchema.safeParse({ who: { kind: "all" }, action: "tool", resources: [], effect: "allow", conditions: [{ kind: "hours", from: 5, to: 5, inside: true }] }).success).toBe(false);
  });
});

test("summaries say who and what in words", () => {
  expect(whoSummary({ kind: "tag", name: "high-risk" })).toBe("Agents tagged high-risk");
  expect(whatSummary({ action: "tool", resources: ["issue_refund"] })).toBe("Tools: issue_refund");
  expect(whatSummary({ action: "model", resources: [] })).toBe("Any model");
});
