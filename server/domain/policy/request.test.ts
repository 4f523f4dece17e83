import { describe, expect, test } from "vitest";
import { cedarDecimal, toCedarRequest, type AgentFacts, type PolicyRequest } from "./request";

describe("cedarDecimal: how JSON arguments become Cedar decimals", () => {
  test("integers and decimals, as numbers or as decimal strings", () => {
    expect(cedarDecimal(250)).toBe("250.0000");
    expect(cedarDecimal(12.5)).toBe("12.5000");
    expect(cedarDecimal("250.00")).toBe("250.0000");
    expect(cedarDecimal(" 7 ")).toBe("7.0000");
    expect(cedarDecimal(-0.25)).toBe("-0.2500");
    expect(cedarDecimal(0.1)).toBe("0.1000");
  });

  test("more than four decimals round half away from zero; huge values clamp to Cedar's range", () => {
    expect(cedarDecimal(1.23455)).toBe("1.2346");
    expect(cedarDecimal("1.23444")).toBe("1.2344");
    expect(cedarDecimal("-1.00005")).toBe("-1.0001");
    expect(cedarDecimal(1e30)).toBe("922337203685477.5807");
    expect(cedarDecimal("99999999999999999999")).toBe("922337203685477.5807");
  });

  test("anything else is not a number", () => {
    for (const value of ["12 USD", "1e3", "", null, true, [], {}, Number.NaN, Number.POSITIVE_INFINITY]) expect(cedarDecimal(value)).toBeNull();
  });
});

const agent: AgentFacts = { name: "support-chatbot", teamName: "Customer Service", tags: ["high-risk"], riskClass: null, tools: ["issue_refund"], models: [], dataCategories: ["PCI"] };
const base: PolicyRequest = {
  agent: { id: "a", name: "support-chatbot", teamId: "t", teamName: "Customer Service", tags: ["high-risk"], riskClass: null },
  action: { type: "tool", name: "issue_refund", arguments: { amount: 250, currency: "EUR", urgent: true, nested: { x: 1 } } },
  dataClasses: ["PII"],
  estimatedCostUsd: "0.25",
  now: new Date("2026-03-01T22:15:00Z"),
};

test("the request: principal in its team, typed resource, arguments split by type, UTC hour, cost in micros", () => {
  const request = toCedarRequest(base, agent, null);
  expect(request.principal).toEqual({ type: "Agent", id: "support-chatbot" });
  expect(request.resource).toEqual({ type: "Tool", id: "issue_refund" });
  expect(request.context).toMatchObject({ argumentNames: ["amount", "currency", "urgent", "nested"], dataClasses: ["PII"], hour: 22, estimatedCostMicros: 250_000 });
  const [principal, numbers, texts] = request.entities;
  expect(principal?.parents).toEqual([{ type: "Team", id: "Customer Service" }]);
  expect(principal?.attrs).toMatchObject({ riskClass: "", team: "Customer Service", tools: [{ __entity: { type: "Tool", id: "issue_refund" } }] });
  expect(numbers?.tags).toEqual({ amount: { __extn: { fn: "decimal", arg: "250.0000" } } });
  expect(texts?.tags).toEqual({ currency: "EUR", urgent: "true" });
});

test("a data action's own name counts among the data classes it touches; no estimate is 0", () => {
  const request = toCedarRequest({ ...base, action: { type: "data", name: "PCI", arguments: {} }, estimatedCostUsd: null }, agent, null);
  expect(request.resource).toEqual({ type: "DataClass", id: "PCI" });
  expect(request.context.dataClasses).toEqual(["PII", "PCI"]);
  expect(request.context.estimatedCostMicros).toBe(0);
});

test("a delegate action carries the target agent as an entity", () => {
  const target: AgentFacts = { ...agent, name: "kb-summarizer", tags: [] };
  const request = toCedarRequest({ ...base, action: { type: "delegate", name: "kb-summarizer", arguments: {} } }, agent, target);
  expect(request.resource).toEqual({ type: "Agent", id: "kb-summarizer" });
  expect(request.entities.map((entity) => entity.uid)).toContainEqual({ type: "Agent", id: "kb-summarizer" });
});
