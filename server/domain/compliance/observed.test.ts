import { describe, expect, it } from "vitest";
import { DEFAULT_REDACTION_DETECTORS, redactJson } from "../redaction/redact";
import { observedCategories, observedCategoryDeltas, redactionFindings, undeclaredCategories } from "./observed";

const detectors = new Set(DEFAULT_REDACTION_DETECTORS);

describe("observed data categories", () => {
  it("reads the categories back from what redaction stored", () => {
    const { value } = redactJson(
      { customer: { email: "ada@example.com", note: "card 4111 1111 1111 1111, again 4111111111111111" }, iban: "GB82 WEST 1234 5698 7654 32", auth: "Bearer abc.def.ghi123" },
      detectors,
    );
    const findings = redactionFindings(value);
    expect(findings).toMatchObject({ email: 1, card: 2, iban: 1 });
    expect(observedCategories(findings)).toEqual(["PII", "PCI", "financial"]);
  });

  it("finds nothing in clean attributes, and credentials are no data category", () => {
    expect(redactionFindings({ tool: "search", q: "quarterly revenue" })).toEqual({});
    expect(observedCategories({ bearer: 3, jwt: 1 })).toEqual([]);
  });

  it("counts per agent and category across a batch, with first and last seen", () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute));
    const deltas = observedCategoryDeltas([
      { orgId: "o", agentId: "a", ts: at(5), attributes: { x: "[REDACTED:CARD]" } },
      { orgId: "o", agentId: "a", ts: at(1), attributes: ["[REDACTED:CARD] [REDACTED:EMAIL]"] },
      { orgId: "o", agentId: "b", ts: at(3), attributes: null },
      { orgId: "o", agentId: "b", ts: at(3), attributes: { y: "[REDACTED:PHONE]" } },
    ]);
    expect(deltas).toEqual(
      expect.arrayContaining([
        { orgId: "o", agentId: "a", category: "PCI", events: 2, firstSeenAt: at(1), lastSeenAt: at(5) },
        { orgId: "o", agentId: "a", category: "PII", events: 1, firstSeenAt: at(1), lastSeenAt: at(1) },
        { orgId: "o", agentId: "b", category: "PII", events: 1, firstSeenAt: at(3), lastSeenAt: at(3) },
      ]),
    );
    expect(deltas).toHaveLength(3);
  });

  it("flags what was observed but not declared", () => {
    expect(undeclaredCategories(["PII", "financial"], ["PII", "PCI"])).toEqual(["PCI"]);
    expect(undeclaredCategories(["PII"], [])).toEqual([]);
  });
});
