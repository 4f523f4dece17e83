import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DATA_CATEGORIES } from "../agents/agent-fields";
import { RISK_CLASSES } from "./catalogue";
import { complianceVerdict } from "./decide-rules";

const tool = (dataClasses: string[] = []) => ({ actionType: "tool", actionName: "create_journal_entry", dataClasses });

describe("complianceVerdict", () => {
  it("denies a prohibited-class agent everything, with reason code compliance", () => {
    const verdict = complianceVerdict({ riskClass: "prohibited", dataCategories: [], tags: [] }, tool());
    expect(verdict.effect).toBe("deny");
    expect(verdict.reasons).toEqual([{ code: "compliance", message: expect.stringMatching(/Art\. 5/) }]);
    expect(complianceVerdict({ riskClass: "prohibited", dataCategories: [], tags: [] }, { actionType: "model", actionName: "auto", dataClasses: ["PCI"] }).effect).toBe("deny");
  });

  it("makes a high-risk agent ask for approval on PCI data (any case), and not otherwise", () => {
    const high = { riskClass: "high", dataCategories: ["PCI"], tags: [] };
    expect(complianceVerdict(high, tool(["PCI"]))).toEqual({ effect: "require_approval", reasons: [{ code: "compliance", message: expect.stringMatching(/PCI/) }] });
    expect(complianceVerdict(high, tool(["pci"])).effect).toBe("require_approval");
    expect(complianceVerdict(high, tool(["PII"])).effect).toBe("none");
    expect(complianceVerdict({ riskClass: "limited", dataCategories: ["PCI"], tags: ["high-risk"] }, tool(["PCI"])).effect).toBe("none");
  });

  it("says nothing for unclassified agents or unknown classes", () => {
    expect(complianceVerdict({ riskClass: null, dataCategories: [], tags: [] }, tool(["PCI"]))).toEqual({ effect: "none", reasons: [] });
    expect(complianceVerdict({ riskClass: "spicy", dataCategories: [], tags: [] }, tool(["PCI"]))).toEqual({ effect: "none", reasons: [] });
  });

  it("never allows a prohibited agent and only ever denies or asks for approval for a reason", () => {
    fc.assert(
      fc.property(fc.constantFrom(null, ...RISK_CLASSES), fc.subarray([...DATA_CATEGORIES]), fc.string(), (riskClass, dataClasses, name) => {
        const verdict = complianceVerdict({ riskClass, dataCategories: [], tags: [] }, { actionType: "tool", actionName: name, dataClasses });
        if (riskClass === "prohibited") expect(verdict.effect).toBe("deny");
        expect(verdict.reasons.length > 0).toBe(verdict.effect !== "none");
        for (const reason of verdict.reasons) expect(reason.code).toBe("compliance");
      }),
    );
  });
});

describe("consequential tools", () => {
  it("are the tools that create, change, send, pay or delete", async () => {
    const { isConsequentialTool } = await import("./catalogue");
    expect(["create_journal_entry", "issue_refund", "cms_publish", "payables_create", "delete_records", "ticket_assign"].every(isConsequentialTool)).toBe(true);
    expect(["ledger_query", "bank_statement_fetch", "kb_search", "order_lookup", "web_search"].some(isConsequentialTool)).toBe(false);
  });
});
