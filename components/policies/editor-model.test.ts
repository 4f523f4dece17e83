import { expect, test } from "vitest";
import { formStateOf, lineCount, newCondition, parseList, problemLines, ruleOf } from "./editor-model";

test("lists typed with commas", () => {
  expect(parseList(" issue_refund, ,order_lookup ,")).toEqual(["issue_refund", "order_lookup"]);
  expect(parseList("")).toEqual([]);
});

test("gutter lines and line counts", () => {
  expect([...problemLines([{ line: 3 }, { line: 1 }, { line: 3 }])]).toEqual([3, 1]);
  expect(lineCount("a\nb\n")).toBe(3);
});

test("the form state becomes a rule, resources from the typed list; problems are named", () => {
  const state = formStateOf(null);
  const ok = ruleOf({ rule: { ...state.rule, who: { kind: "agent", name: "support-chatbot" } }, resourcesText: "issue_refund, order_lookup" });
  expect(ok.ok && ok.rule.resources).toEqual(["issue_refund", "order_lookup"]);
  const bad = ruleOf({ rule: { ...state.rule, who: { kind: "agent", name: " " } }, resourcesText: "" });
  expect(bad).toMatchObject({ ok: false });
  if (!bad.ok) expect(bad.message).toMatch(/^who\.name: /);
  const anyAction = ruleOf({ rule: { ...state.rule, action: "any" }, resourcesText: "ignored" });
  expect(anyAction.ok && anyAction.rule.resources).toEqual([]);
});

test("new conditions start valid", () => {
  for (const kind of ["number", "hours", "dataClasses"] as const) {
    const state = formStateOf(null);
    expect(ruleOf({ ...state, rule: { ...state.rule, conditions: [newCondition(kind)] } }).ok).toBe(true);
  }
});
